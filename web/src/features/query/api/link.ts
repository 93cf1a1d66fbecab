/**
 * 建立客户 (CUS-2) from query results: attach the selected accounts to an existing customer, or create a
 * customer with them. Errors are shown inside the modals (`quiet`: no toast).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, quiet, unwrap } from '../../../api/client';
import type { CustomerCreateBody, CustomerCreated, CustomerHit, LinkBody, LinkResult } from './types';

/** Customers matching `q` (name, customer number, …) for the attach modal's picker. */
export async function searchCustomers(q: string): Promise<CustomerHit[]> {
  const page = await unwrap(
    api.POST('/api/customers/search', {
      body: { q, page: 1, page_size: 20, mine: false, sort: 'customer_no', order: 'asc' },
    }),
  );
  return page.items;
}

export function useCustomerSearch(q: string) {
  return useQuery({
    queryKey: ['query', 'attach-search', q],
    queryFn: () => searchCustomers(q),
    enabled: q !== '',
    retry: false,
  });
}

export function attachAccounts({ customerId, body }: { customerId: number; body: LinkBody }): Promise<LinkResult> {
  return unwrap(
    api.POST('/api/customers/{customer_id}/links', {
      params: { path: { customer_id: customerId } },
      body,
      middleware: [quiet],
    }),
  );
}

export function createCustomer(body: CustomerCreateBody): Promise<CustomerCreated> {
  return unwrap(api.POST('/api/customers', { body, middleware: [quiet] }));
}

/** After a link the query results (who holds which account) and the customer pages are stale. */
function useInvalidateAfterLink() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ['query'] }),
      qc.invalidateQueries({ queryKey: ['customers'] }),
    ]);
}

export function useAttachAccounts() {
  const invalidate = useInvalidateAfterLink();
  return useMutation({ mutationFn: attachAccounts, onSuccess: () => invalidate() });
}

export function useCreateCustomer() {
  const invalidate = useInvalidateAfterLink();
  return useMutation({ mutationFn: createCustomer, onSuccess: () => invalidate() });
}
