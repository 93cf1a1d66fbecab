/** Pure helpers over the org tree returned by /api/orgs/tree. */
import type { OrgLevel, OrgNode } from '../../../api/types';

export const ORG_LEVELS: readonly OrgLevel[] = ['head', 'province', 'city', 'sub_branch', 'outlet'];

export function flattenOrgs(nodes: readonly OrgNode[]): OrgNode[] {
  const out: OrgNode[] = [];
  const walk = (list: readonly OrgNode[]) => {
    for (const n of list) {
      out.push(n);
      walk(n.children);
    }
  };
  walk(nodes);
  return out;
}

export function findOrg(nodes: readonly OrgNode[], id: number): OrgNode | undefined {
  return flattenOrgs(nodes).find((n) => n.id === id);
}

/** Ids of a node and everything under it (a node cannot move or merge into these). */
export function subtreeIds(node: OrgNode): Set<number> {
  return new Set(flattenOrgs([node]).map((n) => n.id));
}

/** Number of orgs at each level, in level order; closed orgs are counted apart. */
export function countByLevel(nodes: readonly OrgNode[]): Array<{ level: OrgLevel; active: number; closed: number }> {
  const counts = new Map<OrgLevel, { active: number; closed: number }>(
    ORG_LEVELS.map((l) => [l, { active: 0, closed: 0 }]),
  );
  for (const n of flattenOrgs(nodes)) {
    const c = counts.get(n.level);
    if (c) c[n.status === 'closed' ? 'closed' : 'active'] += 1;
  }
  return ORG_LEVELS.map((level) => ({ level, ...(counts.get(level) ?? { active: 0, closed: 0 }) }));
}

/** The level one below a parent's level (the default for a new child org). */
export function childLevel(parent: OrgLevel | undefined): OrgLevel {
  if (!parent) return 'head';
  const i = ORG_LEVELS.indexOf(parent);
  return ORG_LEVELS[Math.min(i + 1, ORG_LEVELS.length - 1)] ?? 'outlet';
}
