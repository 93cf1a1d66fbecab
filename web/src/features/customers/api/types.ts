/**
 * Names for the customer API's shapes, derived from the generated `paths` (like `api/types.ts`),
 * kept next to the feature so the 360 view's types live with the pages that use them.
 */
import type { components, paths } from '../../../api/schema';
import type { Post, PostBody, PatchBody, PutBody } from '../../../api/types';

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type GetOk<P extends keyof paths> = paths[P] extends { get: { responses: { 200: infer R } } } ? JsonOf<R> : never;

export type CustomerSearch = PostBody<'/api/customers/search'>;
export type CustomerSort = CustomerSearch['sort'];
export type CustomerType = components['schemas']['CustomerType'];
export type Tier = 'hq_vip' | 'province_vip' | 'branch_vip' | 'none';

export type Customer360 = GetOk<'/api/customers/{customer_id}/overview'>;
export type CustomerProfile = Customer360['profile'];
export type Totals = NonNullable<Customer360['totals']>;
export type Holding = Customer360['accounts'][number];
export type TrendPoint = Customer360['trend'][number];
export type MixItem = Customer360['mix'][number];
export type Manager = Customer360['managers'][number];
export type CustomerRecord = components['schemas']['RecordOut'];
export type RecordKind = components['schemas']['RecordKind'];
export type TierChange = Customer360['tiers'][number];

/** The generated schema has no shape for a change (the server wraps its serializer); this is what it sends. */
export interface CustomerChange {
  field: string;
  old_value: string | null;
  new_value: string | null;
  changed_at: string;
  changed_by: string;
}

export type TransactionPage = GetOk<'/api/customers/{customer_id}/transactions'>;
export type Transaction = TransactionPage['items'][number];
export type RecordPage = GetOk<'/api/customers/{customer_id}/records'>;

export type CustomerUpdate = PatchBody<'/api/customers/{customer_id}'>;
export type RecordBody = PostBody<'/api/customers/{customer_id}/records'>;
export type ManagersBody = PutBody<'/api/customers/{customer_id}/managers'>;
export type TransferBody = PostBody<'/api/customers/transfer-book'>;
export type TransferResult = Post<'/api/customers/transfer-book'>;
export type ManagerCandidate = GetOk<'/api/customers/manager-candidates'>[number];
