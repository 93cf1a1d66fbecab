import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { UserPage } from '../../../api/types';

export interface UserListParams {
  page: number;
  page_size: number;
  q?: string;
  org_id?: number;
}

export const userKeys = {
  all: ['users'] as const,
  list: (p: UserListParams) => [...userKeys.all, 'list', p] as const,
};

export function listUsers(p: UserListParams): Promise<UserPage> {
  return unwrap(
    api.GET('/api/users', {
      params: { query: { page: p.page, page_size: p.page_size, q: p.q || undefined, org_id: p.org_id } },
    }),
  );
}

export function useUsers(p: UserListParams) {
  return useQuery({ queryKey: userKeys.list(p), queryFn: () => listUsers(p), placeholderData: keepPreviousData });
}
