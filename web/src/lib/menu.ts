/**
 * Pure menu building: which routes a user sees, grouped as the side menu shows them.
 * The server still enforces every permission; this only hides what would be refused.
 */

export interface MenuRouteLike {
  /** Menu key (also the selected key for the route). */
  key: string;
  path: string;
  /** i18n key in the `menu` namespace. */
  labelKey: string;
  /** Permission code that shows the entry; absent means every signed-in user. */
  permission?: string;
  /** Group key, when the entry sits inside a submenu. */
  group?: string;
  /** Routes that exist but are not menu entries (e.g. detail pages). */
  hideInMenu?: boolean;
}

export interface MenuGroupLike {
  key: string;
  labelKey: string;
}

export interface MenuEntry {
  key: string;
  labelKey: string;
  path?: string;
  children?: MenuEntry[];
}

export function canSee(route: Pick<MenuRouteLike, 'permission'>, permissions: Iterable<string>): boolean {
  if (!route.permission) return true;
  for (const p of permissions) if (p === route.permission) return true;
  return false;
}

/**
 * The menu for a set of permissions: routes in their declared order, grouped under their group
 * (at the place of the group's first visible route); groups with no visible route are left out.
 */
export function visibleMenu(
  routes: readonly MenuRouteLike[],
  permissions: Iterable<string>,
  groups: readonly MenuGroupLike[] = [],
): MenuEntry[] {
  const perms = [...permissions];
  const out: MenuEntry[] = [];
  const groupEntries = new Map<string, MenuEntry>();
  for (const route of routes) {
    if (route.hideInMenu || !canSee(route, perms)) continue;
    const entry: MenuEntry = { key: route.key, labelKey: route.labelKey, path: route.path };
    if (!route.group) {
      out.push(entry);
      continue;
    }
    let group = groupEntries.get(route.group);
    if (!group) {
      const def = groups.find((g) => g.key === route.group);
      group = { key: route.group, labelKey: def?.labelKey ?? route.group, children: [] };
      groupEntries.set(route.group, group);
      out.push(group);
    }
    group.children?.push(entry);
  }
  return out;
}

/** The menu key of the route that best matches a location path (longest matching prefix). */
export function selectedKey(routes: readonly MenuRouteLike[], pathname: string): string | undefined {
  let best: MenuRouteLike | undefined;
  for (const r of routes) {
    const matches = r.path === '/' ? pathname === '/' : pathname === r.path || pathname.startsWith(`${r.path}/`);
    if (matches && (!best || r.path.length > best.path.length)) best = r;
  }
  return best?.key;
}
