import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { Role } from '../../../api/types';

export const roleKeys = {
  all: ['roles'] as const,
  list: () => [...roleKeys.all, 'list'] as const,
  permissions: () => ['permissions'] as const,
};

export function listRoles(): Promise<Role[]> {
  return unwrap(api.GET('/api/roles'));
}

export function useRoles(enabled = true) {
  return useQuery({ queryKey: roleKeys.list(), queryFn: listRoles, enabled });
}
