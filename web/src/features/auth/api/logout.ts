import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken, unwrapVoid } from '../../../api/client';
import { meQueryKey } from './me';

export function logout(): Promise<void> {
  return unwrapVoid(api.POST('/api/auth/logout'));
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: logout,
    // Whatever the server said, this browser forgets the session.
    onSettled: () => {
      setCsrfToken(null);
      qc.clear();
      qc.setQueryData(meQueryKey, null);
    },
  });
}
