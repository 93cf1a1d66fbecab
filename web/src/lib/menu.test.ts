import { describe, expect, it } from 'vitest';
import { appRoutes, menuGroups } from '../routes';
import { canSee, selectedKey, visibleMenu, type MenuRouteLike } from './menu';

const routes: MenuRouteLike[] = [
  { key: 'home', path: '/', labelKey: 'home' },
  { key: 'customers', path: '/customers', labelKey: 'customers', permission: 'customer.view', group: 'customers' },
  { key: 'orgs', path: '/system/orgs', labelKey: 'orgs', permission: 'org.view', group: 'system' },
  { key: 'users', path: '/system/users', labelKey: 'users', permission: 'user.view', group: 'system' },
  { key: 'hidden', path: '/system/x', labelKey: 'x', group: 'system', hideInMenu: true },
];
const groups = [
  { key: 'customers', labelKey: 'group.customers' },
  { key: 'system', labelKey: 'group.system' },
];

describe('visibleMenu', () => {
  it('shows only routes without permission to a user with none', () => {
    expect(visibleMenu(routes, [], groups)).toEqual([{ key: 'home', labelKey: 'home', path: '/' }]);
  });

  it('groups visible routes and drops empty groups', () => {
    const menu = visibleMenu(routes, ['user.view'], groups);
    expect(menu).toEqual([
      { key: 'home', labelKey: 'home', path: '/' },
      {
        key: 'system',
        labelKey: 'group.system',
        children: [{ key: 'users', labelKey: 'users', path: '/system/users' }],
      },
    ]);
  });

  it('keeps declared order with all permissions', () => {
    const menu = visibleMenu(routes, ['customer.view', 'org.view', 'user.view'], groups);
    expect(menu.map((m) => m.key)).toEqual(['home', 'customers', 'system']);
    expect(menu[2]?.children?.map((c) => c.key)).toEqual(['orgs', 'users']);
  });

  it('ignores unknown permissions', () => {
    expect(visibleMenu(routes, ['nope'], groups)).toHaveLength(1);
  });

  it('the real route table has a permission for every page but home, and unique keys and paths', () => {
    expect(new Set(appRoutes.map((r) => r.key)).size).toBe(appRoutes.length);
    expect(new Set(appRoutes.map((r) => r.path)).size).toBe(appRoutes.length);
    for (const r of appRoutes) {
      if (r.path !== '/') expect(r.permission).toMatch(/^[a-z_]+\.[a-z_.]+$/);
      if (r.group) expect(menuGroups.map((g) => g.key)).toContain(r.group);
    }
    const all = appRoutes.flatMap((r) => (r.permission ? [r.permission] : []));
    const full = visibleMenu(appRoutes, all, menuGroups);
    expect(full.map((m) => m.key)).toEqual(['home', 'customers', 'query', 'etl', 'system']);
    expect(full[2]?.children?.map((c) => c.key)).toEqual(['queryPersonal', 'queryPassbooks', 'queryCorporate', 'queryTop']);
    expect(full[3]?.children?.map((c) => c.key)).toEqual(['etlRuns', 'etlQuality']);
    expect(full[4]?.children).toHaveLength(6);
  });

  it('shows the load runs entry (in its group) only with etl.view', () => {
    const etl = { key: 'etl', labelKey: 'group.etl', children: [{ key: 'etlRuns', labelKey: 'etlRuns', path: '/etl/runs' }] };
    expect(visibleMenu(appRoutes, ['etl.view'], menuGroups)).toEqual([{ key: 'home', labelKey: 'home', path: '/' }, etl]);
    expect(visibleMenu(appRoutes, ['customer.view', 'etl.view'], menuGroups).map((m) => m.key)).toEqual(['home', 'customers', 'query', 'etl']);
    for (const perms of [[], ['etl.rejects'], ['customer.view', 'user.view']]) {
      const menu = visibleMenu(appRoutes, perms, menuGroups);
      expect(menu.map((m) => m.key)).not.toContain('etl');
      expect(menu.flatMap((m) => m.children ?? [m]).map((m) => m.key)).not.toContain('etlRuns');
    }
  });

  it('shows the data quality entry (in the data loading group) only with dq.view', () => {
    const quality = { key: 'etlQuality', labelKey: 'etlQuality', path: '/etl/quality' };
    expect(visibleMenu(appRoutes, ['dq.view'], menuGroups)).toEqual([
      { key: 'home', labelKey: 'home', path: '/' },
      { key: 'etl', labelKey: 'group.etl', children: [quality] },
    ]);
    const both = visibleMenu(appRoutes, ['etl.view', 'dq.view'], menuGroups).find((m) => m.key === 'etl');
    expect(both?.children?.map((c) => c.key)).toEqual(['etlRuns', 'etlQuality']);
    for (const perms of [[], ['etl.view'], ['dq.edit'], ['etl.run', 'customer.view']]) {
      const menu = visibleMenu(appRoutes, perms, menuGroups);
      expect(menu.flatMap((m) => m.children ?? [m]).map((m) => m.key)).not.toContain('etlQuality');
    }
    expect(selectedKey(appRoutes, '/etl/quality')).toBe('etlQuality');
  });

  it('keeps load runs selected on a run detail page', () => {
    expect(selectedKey(appRoutes, '/etl/runs')).toBe('etlRuns');
    expect(selectedKey(appRoutes, '/etl/runs/17')).toBe('etlRuns');
  });
});

describe('canSee and selectedKey', () => {
  it('canSee', () => {
    expect(canSee({}, [])).toBe(true);
    expect(canSee({ permission: 'a.b' }, ['a.b'])).toBe(true);
    expect(canSee({ permission: 'a.b' }, ['a.c'])).toBe(false);
  });
  it('selectedKey picks the longest prefix', () => {
    expect(selectedKey(routes, '/')).toBe('home');
    expect(selectedKey(routes, '/system/users')).toBe('users');
    expect(selectedKey(routes, '/system/users/5')).toBe('users');
    expect(selectedKey(routes, '/elsewhere')).toBeUndefined();
  });
});
