import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { AuditPage, AuditVerify } from '../../../api/types';

export interface AuditFilters {
  action?: string;
  actor?: string;
  date_from?: string;
  date_to?: string;
}

export function listAudit(f: AuditFilters & { page: number; page_size: number }): Promise<AuditPage> {
  return unwrap(
    api.GET('/api/audit', {
      params: {
        query: {
          action: f.action || undefined,
          actor: f.actor || undefined,
          date_from: f.date_from,
          date_to: f.date_to,
          page: f.page,
          page_size: f.page_size,
        },
      },
    }),
  );
}

export function useAudit(f: AuditFilters & { page: number; page_size: number }) {
  return useQuery({ queryKey: ['audit', 'list', f], queryFn: () => listAudit(f), placeholderData: keepPreviousData });
}

export function verifyAudit(): Promise<AuditVerify> {
  return unwrap(api.GET('/api/audit/verify'));
}

/** Verifying the chain is an explicit action (it reads every record), so a mutation, not a query. */
export function useVerifyAudit() {
  return useMutation({ mutationFn: verifyAudit });
}
