import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrapVoid } from '../../../api/client';
import type { PostBody } from '../../../api/types';
import { meQueryKey } from './me';

export type ChangePasswordInput = PostBody<'/api/auth/password'>;

export function changePassword(body: ChangePasswordInput): Promise<void> {
  return unwrapVoid(api.POST('/api/auth/password', { body }));
}

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    onSuccess: () => qc.invalidateQueries({ queryKey: meQueryKey }),
  });
}
