/** Groups the permission catalog by module for the checkable tree of the role form. */
import type { Permission } from '../../../api/types';

export const MODULE_PREFIX = 'module:';

export interface PermissionTreeNode {
  key: string;
  title: string;
  children?: PermissionTreeNode[];
}

export function permissionTree(
  catalog: readonly Permission[],
  label: (p: Permission) => string,
  moduleLabel: (module: string) => string,
): PermissionTreeNode[] {
  const modules = new Map<string, PermissionTreeNode[]>();
  for (const p of catalog) {
    const list = modules.get(p.module) ?? [];
    list.push({ key: p.code, title: `${label(p)} (${p.code})` });
    modules.set(p.module, list);
  }
  return [...modules.entries()].map(([m, children]) => ({
    key: `${MODULE_PREFIX}${m}`,
    title: moduleLabel(m),
    children,
  }));
}

/** Checked tree keys back to permission codes (module nodes are not permissions). */
export function checkedPermissions(keys: readonly (string | number | bigint)[]): string[] {
  return keys.map(String).filter((k) => !k.startsWith(MODULE_PREFIX));
}
