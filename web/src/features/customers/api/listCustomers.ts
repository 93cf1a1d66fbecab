import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { CustomerPage } from '../../../api/types';
import type { CustomerSearch } from './types';

/** The list's structured filters, sort and page: exactly the body of `POST /api/customers/search`. */
export type CustomerListParams = CustomerSearch;

export function listCustomers(body: CustomerListParams): Promise<CustomerPage> {
  // A search is a POST so that what is typed (names, ID numbers, phones) stays out of URLs and access logs.
  return unwrap(api.POST('/api/customers/search', { body }));
}

export function useCustomers(p: CustomerListParams) {
  return useQuery({ queryKey: ['customers', 'list', p], queryFn: () => listCustomers(p), placeholderData: keepPreviousData });
}
