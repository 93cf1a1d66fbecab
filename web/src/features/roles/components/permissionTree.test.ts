import { describe, expect, it } from 'vitest';
import { checkedPermissions, permissionTree } from './permissionTree';

describe('permissionTree', () => {
  const catalog = [
    { code: 'user.view', module: 'user', name_zh: '查看操作员', name_en: 'View users' },
    { code: 'org.view', module: 'org', name_zh: '查看机构', name_en: 'View orgs' },
    { code: 'user.create', module: 'user', name_zh: '新建操作员', name_en: 'Create users' },
  ];
  it('groups by module in first-seen order', () => {
    const tree = permissionTree(catalog, (p) => p.name_en, (m) => m.toUpperCase());
    expect(tree.map((n) => n.title)).toEqual(['USER', 'ORG']);
    expect(tree[0]?.children?.map((c) => c.key)).toEqual(['user.view', 'user.create']);
  });
  it('drops module keys from checked keys', () => {
    expect(checkedPermissions(['module:user', 'user.view', 'user.create'])).toEqual(['user.view', 'user.create']);
  });
});
