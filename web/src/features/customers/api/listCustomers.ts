import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { CustomerPage } from '../../../api/types';

export interface CustomerListParams {
  q?: string;
  page: number;
  page_size: number;
}

export function listCustomers(p: CustomerListParams): Promise<CustomerPage> {
  // A search is a POST so that what is typed (names, ID numbers, phones) stays out of URLs and access logs.
  return unwrap(api.POST('/api/customers/search', {
    body: { q: p.q ?? '', page: p.page, page_size: p.page_size, mine: false, sort: 'customer_no', order: 'asc' },
  }));
}

export function useCustomers(p: CustomerListParams) {
  return useQuery({ queryKey: ['customers', 'list', p], queryFn: () => listCustomers(p), placeholderData: keepPreviousData });
}
