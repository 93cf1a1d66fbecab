/**
 * The linked queries (QRY-1..QRY-4). Searches are POSTs, so names, ID and account numbers stay out of URLs.
 * Errors are shown by the page next to its conditions (`quiet`: no toast); see `queryErrorText`.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, quiet, unwrap } from '../../../api/client';
import type { AccountPage, CorporateQuery, PassbookQuery, PersonalQuery, TopQuery, TopRow } from './types';

export const queryKeys = {
  all: ['query'] as const,
  personal: (b: PersonalQuery) => ['query', 'personal', b] as const,
  passbooks: (b: PassbookQuery) => ['query', 'passbooks', b] as const,
  corporate: (b: CorporateQuery) => ['query', 'corporate', b] as const,
  top: (b: TopQuery) => ['query', 'top', b] as const,
};

const init = { middleware: [quiet] };

export function queryPersonal(body: PersonalQuery): Promise<AccountPage> {
  return unwrap(api.POST('/api/query/personal-accounts', { ...init, body }));
}

export function queryPassbooks(body: PassbookQuery): Promise<AccountPage> {
  return unwrap(api.POST('/api/query/passbooks', { ...init, body }));
}

export function queryCorporate(body: CorporateQuery): Promise<AccountPage> {
  return unwrap(api.POST('/api/query/corporate', { ...init, body }));
}

export function queryTop(body: TopQuery): Promise<TopRow[]> {
  return unwrap(api.POST('/api/query/top-corporate', { ...init, body }));
}

/** A paged query runs once conditions were submitted (`body` null before that). */
export function usePersonalAccounts(body: PersonalQuery | null) {
  return useQuery({
    queryKey: queryKeys.personal(body as PersonalQuery),
    queryFn: () => queryPersonal(body as PersonalQuery),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function usePassbooks(body: PassbookQuery | null) {
  return useQuery({
    queryKey: queryKeys.passbooks(body as PassbookQuery),
    queryFn: () => queryPassbooks(body as PassbookQuery),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useCorporateAccounts(body: CorporateQuery | null) {
  return useQuery({
    queryKey: queryKeys.corporate(body as CorporateQuery),
    queryFn: () => queryCorporate(body as CorporateQuery),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useTopCorporate(body: TopQuery) {
  return useQuery({
    queryKey: queryKeys.top(body),
    queryFn: () => queryTop(body),
    placeholderData: keepPreviousData,
    retry: false,
  });
}
