import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, unwrapVoid } from '../../../api/client';
import type { Role, RoleCreateBody, RoleUpdateBody } from '../../../api/types';
import { roleKeys } from './listRoles';

export function createRole(body: RoleCreateBody): Promise<Role> {
  return unwrap(api.POST('/api/roles', { body }));
}

export function updateRole({ id, body }: { id: number; body: RoleUpdateBody }): Promise<Role> {
  return unwrap(api.PATCH('/api/roles/{role_id}', { params: { path: { role_id: id } }, body }));
}

export function deleteRole(id: number): Promise<void> {
  return unwrapVoid(api.DELETE('/api/roles/{role_id}', { params: { path: { role_id: id } } }));
}

function useRoleMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: roleKeys.all }) });
}

export const useCreateRole = () => useRoleMutation(createRole);
export const useUpdateRole = () => useRoleMutation(updateRole);
export const useDeleteRole = () => useRoleMutation(deleteRole);
