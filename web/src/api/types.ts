/**
 * Names for the API's shapes, derived from the generated `paths` (not from schema names),
 * so a rename of a Pydantic model on the server does not ripple through the pages.
 */
import type { paths } from './schema';

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
// 202: a job the server accepted and started (e.g. a load run), answered with what it started.
type OkOf<Op> = Op extends { responses: infer R }
  ? JsonOf<R[Extract<keyof R, 200 | 201 | 202 | '200' | '201' | '202'>]>
  : never;
type BodyOf<Op> = Op extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;

type Get<P extends keyof paths> = paths[P] extends { get: infer O } ? OkOf<O> : never;
export type Post<P extends keyof paths> = paths[P] extends { post: infer O } ? OkOf<O> : never;
export type PostBody<P extends keyof paths> = paths[P] extends { post: infer O } ? BodyOf<O> : never;
export type PatchBody<P extends keyof paths> = paths[P] extends { patch: infer O } ? BodyOf<O> : never;
export type PutBody<P extends keyof paths> = paths[P] extends { put: infer O } ? BodyOf<O> : never;

export type Me = Get<'/api/auth/me'>;
export type LoginResult = Post<'/api/auth/login'>;
export type RoleRef = Me['roles'][number];
export type DataScope = Me['data_scope'];

export type OrgNode = Get<'/api/orgs/tree'>[number];
export type Org = Get<'/api/orgs/{org_id}'>;
export type OrgLevel = OrgNode['level'];
export type OrgHistoryEntry = Get<'/api/orgs/{org_id}/history'>[number];
export type OrgCreateBody = PostBody<'/api/orgs'>;
export type OrgImportBody = PostBody<'/api/orgs/import'>;
export type OrgImportResult = Post<'/api/orgs/import'>;

export type UserPage = Get<'/api/users'>;
export type User = UserPage['items'][number];
export type UserCreateBody = PostBody<'/api/users'>;
export type UserUpdateBody = PatchBody<'/api/users/{user_id}'>;
export type UserWithPassword = Post<'/api/users'>;

export type Role = Get<'/api/roles'>[number];
export type RoleCreateBody = PostBody<'/api/roles'>;
export type RoleUpdateBody = PatchBody<'/api/roles/{role_id}'>;
export type Permission = Get<'/api/permissions'>[number];

export type AuditPage = Get<'/api/audit'>;
export type AuditEntry = AuditPage['items'][number];
export type AuditVerify = Get<'/api/audit/verify'>;

export type Parameter = Get<'/api/system/parameters'>[number];
export type ParameterValue = PutBody<'/api/system/parameters/{key}'>['value'];
export type CodeTable = Get<'/api/system/code-tables'>[number];
export type CodeItem = Get<'/api/system/code-tables/{code}/items'>[number];
export type CodeItemCreateBody = PostBody<'/api/system/code-tables/{code}/items'>;
export type CodeItemUpdateBody = PatchBody<'/api/system/code-tables/{code}/items/{item_code}'>;

export type CustomerPage = Post<'/api/customers/search'>;
export type CustomerSearchBody = PostBody<'/api/customers/search'>;
export type CustomerDetail = Get<'/api/customers/{customer_id}'>;
export type Customer = CustomerPage['items'][number];
export type RevealBody = PostBody<'/api/customers/{customer_id}/reveal'>;
export type RevealResult = Post<'/api/customers/{customer_id}/reveal'>;

export type EtlRunPage = Get<'/api/etl/runs'>;
export type EtlRun = EtlRunPage['items'][number];
export type EtlRunStatus = EtlRun['status'];
export type EtlRunDetail = Get<'/api/etl/runs/{run_id}'>;
export type EtlRunFile = EtlRunDetail['files'][number];
export type EtlRejectPage = Get<'/api/etl/runs/{run_id}/rejects'>;
export type EtlReject = EtlRejectPage['items'][number];
export type EtlStartBody = PostBody<'/api/etl/runs'>;
export type EtlStarted = Post<'/api/etl/runs'>;

export type DqIssuePage = Get<'/api/etl/dq/issues'>;
export type DqIssue = DqIssuePage['items'][number];
export type DqStatus = DqIssue['status'];
export type DqCloseBody = PostBody<'/api/etl/dq/issues/{issue_id}/close'>;
export type OrgMappingPage = Get<'/api/etl/org-mappings'>;
export type OrgMapping = OrgMappingPage['items'][number];

/** The list pages' Excel exports (POST, JSON body with the page's filters, `purpose` and `lang`; answers .xlsx). */
export type ExportPath =
  | '/api/users/export'
  | '/api/audit/export'
  | '/api/customers/export'
  | '/api/query/personal-accounts/export'
  | '/api/query/passbooks/export'
  | '/api/query/corporate/export'
  | '/api/query/top-corporate/export';
export type ExportBody<P extends ExportPath> = PostBody<P>;
