import { describe, expect, it } from 'vitest';
import type { OrgNode } from '../../../api/types';
import { childLevel, countByLevel, findOrg, flattenOrgs, subtreeIds } from './tree';

function node(id: number, level: OrgNode['level'], children: OrgNode[] = [], status: OrgNode['status'] = 'active'): OrgNode {
  return { id, code: `C${id}`, name: `N${id}`, level, parent_id: null, merged_into_id: null, path: `/${id}/`, status, children };
}

const tree = [
  node(1, 'head', [node(2, 'province', [node(4, 'city'), node(5, 'city', [], 'closed')]), node(3, 'province')]),
];

describe('org tree helpers', () => {
  it('flattens depth first', () => {
    expect(flattenOrgs(tree).map((n) => n.id)).toEqual([1, 2, 4, 5, 3]);
  });
  it('finds by id', () => {
    expect(findOrg(tree, 5)?.code).toBe('C5');
    expect(findOrg(tree, 99)).toBeUndefined();
  });
  it('collects a subtree', () => {
    const two = findOrg(tree, 2);
    expect(two && [...subtreeIds(two)].sort()).toEqual([2, 4, 5]);
  });
  it('counts by level with closed apart', () => {
    expect(countByLevel(tree)).toEqual([
      { level: 'head', active: 1, closed: 0 },
      { level: 'province', active: 2, closed: 0 },
      { level: 'city', active: 1, closed: 1 },
      { level: 'sub_branch', active: 0, closed: 0 },
      { level: 'outlet', active: 0, closed: 0 },
    ]);
  });
  it('proposes the next level', () => {
    expect(childLevel(undefined)).toBe('head');
    expect(childLevel('city')).toBe('sub_branch');
    expect(childLevel('outlet')).toBe('outlet');
  });
});
