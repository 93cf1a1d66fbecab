/** Data-quality issues and the source-system org mappings (both under /api/etl). */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, quiet, unwrap, unwrapVoid } from '../../../api/client';
import type { paths } from '../../../api/schema';
import type {
  DqCloseBody,
  DqIssue,
  DqIssuePage,
  DqStatus,
  OrgMapping,
  OrgMappingPage,
  Post,
  PostBody,
  PutBody,
} from '../../../api/types';

type JsonOk<R> = R extends { 200: { content: { 'application/json': infer T } } } ? T : never;

/** A source system's prefix rule (`strip_prefix` taken off its codes, then `add_prefix` put on). */
export type OrgMappingRule = JsonOk<paths['/api/etl/org-mapping-rules']['get']['responses']>[number];
export type OrgMappingRuleBody = PutBody<'/api/etl/org-mapping-rules/{system}'>;
/** The saved rule with the unmapped codes it placed now (`mapped`) and those still unmapped. */
export type OrgMappingRuleResult = JsonOk<paths['/api/etl/org-mapping-rules/{system}']['put']['responses']>;
export type DqMergeBody = PostBody<'/api/etl/dq/merge'>;
export type DqMergeResult = Post<'/api/etl/dq/merge'>;
export type DqRelinkBody = PostBody<'/api/etl/dq/relink'>;
export type DqRelinkResult = Post<'/api/etl/dq/relink'>;

export const dqKeys = {
  all: ['etl', 'dq'] as const,
  issues: (p: DqIssueListParams) => [...dqKeys.all, 'issues', p] as const,
  mappings: (p: OrgMappingListParams) => [...dqKeys.all, 'org-mappings', p] as const,
  rules: () => [...dqKeys.all, 'org-mapping-rules'] as const,
};

/** Customer lists show the accounts and managers a merge or relink moves. */
const customersKey = ['customers'] as const;

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

/** The prefix rules, one per source system at most. */
export function listOrgMappingRules(): Promise<OrgMappingRule[]> {
  return unwrap(api.GET('/api/etl/org-mapping-rules'));
}

export function useOrgMappingRules() {
  return useQuery({ queryKey: dqKeys.rules(), queryFn: listOrgMappingRules });
}

/** Saves a system's prefix rule and applies it to its unmapped codes now (error shown inline by the modal). */
export function saveOrgMappingRule({ system, body }: { system: string; body: OrgMappingRuleBody }): Promise<OrgMappingRuleResult> {
  return unwrap(
    api.PUT('/api/etl/org-mapping-rules/{system}', { params: { path: { system } }, body, middleware: [quiet] }),
  );
}

/** A rule maps codes and settles their `unmapped_org` issues: rules, mappings and issues are asked again. */
export function useSaveOrgMappingRule() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: saveOrgMappingRule, onSuccess: () => qc.invalidateQueries({ queryKey: dqKeys.all }) });
}

/** Stops applying a system's rule to new codes; the mappings it made stay. Errors go to the toast. */
export function deleteOrgMappingRule(system: string): Promise<void> {
  return unwrapVoid(api.DELETE('/api/etl/org-mapping-rules/{system}', { params: { path: { system } } }));
}

export function useDeleteOrgMappingRule() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: deleteOrgMappingRule, onSuccess: () => qc.invalidateQueries({ queryKey: dqKeys.rules() }) });
}

/** Merges two records of one person: the merged record's accounts and managers move to the survivor. */
export function mergeCustomers(body: DqMergeBody): Promise<DqMergeResult> {
  return unwrap(api.POST('/api/etl/dq/merge', { body, middleware: [quiet] }));
}

/** A merge settles the open issues of both records, and moves accounts between customers. */
export function useMergeCustomers() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: mergeCustomers,
    onSuccess: () =>
      Promise.all([qc.invalidateQueries({ queryKey: dqKeys.all }), qc.invalidateQueries({ queryKey: customersKey })]),
  });
}

/** Moves one source account to another customer (the account number travels in the body). */
export function relinkAccount(body: DqRelinkBody): Promise<DqRelinkResult> {
  return unwrap(api.POST('/api/etl/dq/relink', { body, middleware: [quiet] }));
}

export function useRelinkAccount() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: relinkAccount,
    onSuccess: () =>
      Promise.all([qc.invalidateQueries({ queryKey: dqKeys.all }), qc.invalidateQueries({ queryKey: customersKey })]),
  });
}
