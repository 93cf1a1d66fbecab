/** Data-quality issues and the source-system org mappings (both under /api/etl). */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, quiet, unwrap } from '../../../api/client';
import type { DqCloseBody, DqIssue, DqIssuePage, DqStatus, OrgMapping, OrgMappingPage } from '../../../api/types';

export const dqKeys = {
  all: ['etl', 'dq'] as const,
  issues: (p: DqIssueListParams) => [...dqKeys.all, 'issues', p] as const,
  mappings: (p: OrgMappingListParams) => [...dqKeys.all, 'org-mappings', p] as const,
};

export interface DqIssueListParams {
  kind?: string;
  status?: DqStatus;
  page: number;
  page_size: number;
}

/** Issues found by the loads, newest first; ID numbers come masked from the server. */
export function listDqIssues(p: DqIssueListParams): Promise<DqIssuePage> {
  return unwrap(
    api.GET('/api/etl/dq/issues', {
      params: { query: { kind: p.kind ?? null, status: p.status ?? null, page: p.page, page_size: p.page_size } },
    }),
  );
}

export function useDqIssues(p: DqIssueListParams) {
  return useQuery({ queryKey: dqKeys.issues(p), queryFn: () => listDqIssues(p), placeholderData: keepPreviousData });
}

/** Resolves or dismisses one open issue with a note (error shown inline by the modal). */
export function closeDqIssue({ id, body }: { id: number; body: DqCloseBody }): Promise<DqIssue> {
  return unwrap(
    api.POST('/api/etl/dq/issues/{issue_id}/close', { params: { path: { issue_id: id } }, body, middleware: [quiet] }),
  );
}

export function useCloseDqIssue() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: closeDqIssue, onSuccess: () => qc.invalidateQueries({ queryKey: dqKeys.all }) });
}

export interface OrgMappingListParams {
  unmapped_only: boolean;
  page: number;
  page_size: number;
}

/** Org codes of the source systems and the bank org each maps to (null when unmapped). */
export function listOrgMappings(p: OrgMappingListParams): Promise<OrgMappingPage> {
  return unwrap(
    api.GET('/api/etl/org-mappings', {
      params: { query: { unmapped_only: p.unmapped_only, page: p.page, page_size: p.page_size } },
    }),
  );
}

export function useOrgMappings(p: OrgMappingListParams) {
  return useQuery({ queryKey: dqKeys.mappings(p), queryFn: () => listOrgMappings(p), placeholderData: keepPreviousData });
}

/** Maps one source org code to a bank org (error shown inline by the modal). */
export function mapOrg({ system, srcCode, orgId }: { system: string; srcCode: string; orgId: number }): Promise<OrgMapping> {
  return unwrap(
    api.PUT('/api/etl/org-mappings/{system}/{src_code}', {
      params: { path: { system, src_code: srcCode } },
      body: { org_id: orgId },
      middleware: [quiet],
    }),
  );
}

/** Mapping an org may settle `unmapped_org` issues too, so both lists are asked again. */
export function useMapOrg() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: mapOrg, onSuccess: () => qc.invalidateQueries({ queryKey: dqKeys.all }) });
}
