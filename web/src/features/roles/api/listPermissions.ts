import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { Permission } from '../../../api/types';
import { roleKeys } from './listRoles';

export function listPermissions(): Promise<Permission[]> {
  return unwrap(api.GET('/api/permissions'));
}

export function usePermissionCatalog() {
  return useQuery({ queryKey: roleKeys.permissions(), queryFn: listPermissions, staleTime: 5 * 60_000 });
}
