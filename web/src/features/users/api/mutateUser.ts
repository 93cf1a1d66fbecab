/** User writes; each refreshes the user lists. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { User, UserCreateBody, UserUpdateBody, UserWithPassword } from '../../../api/types';
import { userKeys } from './listUsers';

export function createUser(body: UserCreateBody): Promise<UserWithPassword> {
  return unwrap(api.POST('/api/users', { body }));
}

export function updateUser({ id, body }: { id: number; body: UserUpdateBody }): Promise<User> {
  return unwrap(api.PATCH('/api/users/{user_id}', { params: { path: { user_id: id } }, body }));
}

export function disableUser(id: number): Promise<User> {
  return unwrap(api.POST('/api/users/{user_id}/disable', { params: { path: { user_id: id } } }));
}

export function enableUser(id: number): Promise<User> {
  return unwrap(api.POST('/api/users/{user_id}/enable', { params: { path: { user_id: id } } }));
}

export function unlockUser(id: number): Promise<User> {
  return unwrap(api.POST('/api/users/{user_id}/unlock', { params: { path: { user_id: id } } }));
}

export function resetUserPassword(id: number): Promise<UserWithPassword> {
  return unwrap(api.POST('/api/users/{user_id}/reset-password', { params: { path: { user_id: id } } }));
}

function useUserMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: userKeys.all }) });
}

export const useCreateUser = () => useUserMutation(createUser);
export const useUpdateUser = () => useUserMutation(updateUser);
export const useDisableUser = () => useUserMutation(disableUser);
export const useEnableUser = () => useUserMutation(enableUser);
export const useUnlockUser = () => useUserMutation(unlockUser);
export const useResetUserPassword = () => useUserMutation(resetUserPassword);
