import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken, unwrap } from '../../../api/client';
import { ApiError } from '../../../api/errors';
import type { Me } from '../../../api/types';

export const meQueryKey = ['auth', 'me'] as const;

/** The signed-in user, or null when there is no session. */
export async function getMe(): Promise<Me | null> {
  try {
    const me = await unwrap(api.GET('/api/auth/me'));
    setCsrfToken(me.csrf_token);
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: meQueryKey, queryFn: getMe, staleTime: 60_000, retry: false });
}

/** The permissions of the signed-in user (empty when signed out). */
export function usePermissions(): ReadonlySet<string> {
  const { data } = useMe();
  return new Set(data?.permissions ?? []);
}

/** `can('user.create')` — UI gating only; the server enforces every permission itself. */
export function useCan(): (permission: string) => boolean {
  const perms = usePermissions();
  return (permission) => perms.has(permission);
}

export function useSetMe(): (me: Me | null) => void {
  const qc = useQueryClient();
  return (me) => {
    setCsrfToken(me?.csrf_token ?? null);
    qc.setQueryData(meQueryKey, me);
  };
}
