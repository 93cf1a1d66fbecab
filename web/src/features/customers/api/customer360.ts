/** Reads and writes of one customer: the 360 overview, transactions, records, maintenance, managers. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, quiet, unwrap } from '../../../api/client';
import type {
  Customer360,
  CustomerProfile,
  CustomerRecord,
  CustomerUpdate,
  Manager,
  ManagerCandidate,
  ManagersBody,
  RecordBody,
  RecordKind,
  RecordPage,
  TransactionPage,
  TransferBody,
  TransferResult,
} from './types';

export const customerKeys = {
  all: ['customers'] as const,
  overview: (id: number) => ['customers', 'overview', id] as const,
  transactions: (id: number, page: number, pageSize: number) => ['customers', 'transactions', id, page, pageSize] as const,
  records: (id: number) => ['customers', 'records', id] as const,
  recordPage: (id: number, kind: RecordKind | undefined, page: number, pageSize: number) =>
    ['customers', 'records', id, kind ?? 'all', page, pageSize] as const,
  candidates: ['customers', 'manager-candidates'] as const,
};

const path = (id: number) => ({ path: { customer_id: id } });

export function getOverview(id: number): Promise<Customer360> {
  return unwrap(api.GET('/api/customers/{customer_id}/overview', { params: path(id) }));
}

export function useOverview(id: number | undefined) {
  return useQuery({
    queryKey: customerKeys.overview(id ?? 0),
    queryFn: () => getOverview(id ?? 0),
    enabled: id !== undefined,
  });
}

export function listTransactions(id: number, page: number, pageSize: number): Promise<TransactionPage> {
  return unwrap(
    api.GET('/api/customers/{customer_id}/transactions', {
      params: { ...path(id), query: { page, page_size: pageSize } },
    }),
  );
}

export function useTransactions(id: number, page: number, pageSize: number, enabled = true) {
  return useQuery({
    queryKey: customerKeys.transactions(id, page, pageSize),
    queryFn: () => listTransactions(id, page, pageSize),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function listRecords(id: number, kind: RecordKind | undefined, page: number, pageSize: number): Promise<RecordPage> {
  return unwrap(
    api.GET('/api/customers/{customer_id}/records', {
      params: { ...path(id), query: { page, page_size: pageSize, ...(kind ? { kind } : {}) } },
    }),
  );
}

export function useRecords(id: number, kind: RecordKind | undefined, page: number, pageSize: number) {
  return useQuery({
    queryKey: customerKeys.recordPage(id, kind, page, pageSize),
    queryFn: () => listRecords(id, kind, page, pageSize),
    placeholderData: keepPreviousData,
  });
}

/** The maintenance call; errors are shown by the form (on the field the server names), so no toast. */
export function updateCustomer({ id, body }: { id: number; body: CustomerUpdate }): Promise<CustomerProfile> {
  return unwrap(api.PATCH('/api/customers/{customer_id}', { params: path(id), body, middleware: [quiet] }));
}

export function addRecord({ id, body }: { id: number; body: RecordBody }): Promise<CustomerRecord> {
  return unwrap(api.POST('/api/customers/{customer_id}/records', { params: path(id), body, middleware: [quiet] }));
}

export function setManagers({ id, body }: { id: number; body: ManagersBody }): Promise<Manager[]> {
  return unwrap(api.PUT('/api/customers/{customer_id}/managers', { params: path(id), body, middleware: [quiet] }));
}

export function transferBook(body: TransferBody): Promise<TransferResult> {
  return unwrap(api.POST('/api/customers/transfer-book', { body, middleware: [quiet] }));
}

export function listManagerCandidates(customerId?: number): Promise<ManagerCandidate[]> {
  const query = customerId === undefined ? {} : { customer_id: customerId };
  return unwrap(api.GET('/api/customers/manager-candidates', { params: { query } }));
}

/** The customer managers in the caller's scope; with a customer, only those on its org line (who may manage it). */
export function useManagerCandidates(enabled = true, customerId?: number) {
  return useQuery({
    queryKey: customerId === undefined ? customerKeys.candidates : [...customerKeys.candidates, customerId],
    queryFn: () => listManagerCandidates(customerId),
    staleTime: 60_000,
    enabled,
  });
}

/** A write to one customer, after which its overview (and record lists) are read again. */
function useCustomerMutation<V extends { id: number }, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async (_r, v) => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: customerKeys.overview(v.id) }),
        qc.invalidateQueries({ queryKey: customerKeys.records(v.id) }),
        qc.invalidateQueries({ queryKey: ['customers', 'list'] }),
      ]);
    },
  });
}

export const useUpdateCustomer = () => useCustomerMutation(updateCustomer);
export const useAddRecord = () => useCustomerMutation(addRecord);
export const useSetManagers = () => useCustomerMutation(setManagers);

export function useTransferBook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: transferBook,
    onSuccess: () => qc.invalidateQueries({ queryKey: customerKeys.all }),
  });
}
