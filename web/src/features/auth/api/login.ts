import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken, unwrap } from '../../../api/client';
import type { LoginResult, PostBody } from '../../../api/types';
import { meQueryKey } from './me';

export type LoginInput = PostBody<'/api/auth/login'>;

export function login(body: LoginInput): Promise<LoginResult> {
  return unwrap(api.POST('/api/auth/login', { body }));
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (result) => {
      setCsrfToken(result.csrf_token);
      qc.clear();
      qc.setQueryData(meQueryKey, { ...result.user, csrf_token: result.csrf_token });
    },
  });
}
