/**
 * Names for the linked queries' shapes (QRY-1..QRY-4) and the linking calls (CUS-2), derived from the
 * generated `paths` like `api/types.ts`, kept next to the feature.
 */
import type { Post, PostBody } from '../../../api/types';

export type PersonalQuery = PostBody<'/api/query/personal-accounts'>;
export type PassbookQuery = PostBody<'/api/query/passbooks'>;
export type CorporateQuery = PostBody<'/api/query/corporate'>;
export type TopQuery = PostBody<'/api/query/top-corporate'>;

export type AccountPage = Post<'/api/query/personal-accounts'>;
export type AccountRow = AccountPage['items'][number];
export type TopRow = Post<'/api/query/top-corporate'>[number];

export type AccountSort = PersonalQuery['sort'];
export type SortOrder = PersonalQuery['order'];
export type PersonalSystem = PersonalQuery['systems'][number];
export type FiveClass = PersonalQuery['five_class'][number];
export type TopMeasure = TopQuery['by'];

/** The conditions of a paged query: its body without the page (what the export posts, with purpose and language). */
export type Conditions<B> = Omit<B, 'page' | 'page_size'>;
export type PersonalConditions = Conditions<PersonalQuery>;
export type PassbookConditions = Conditions<PassbookQuery>;
export type CorporateConditions = Conditions<CorporateQuery>;

export type QueryExportPath =
  | '/api/query/personal-accounts/export'
  | '/api/query/passbooks/export'
  | '/api/query/corporate/export'
  | '/api/query/top-corporate/export';

export type CustomerSearchBody = PostBody<'/api/customers/search'>;
export type CustomerHit = Post<'/api/customers/search'>['items'][number];
export type LinkBody = PostBody<'/api/customers/{customer_id}/links'>;
export type LinkResult = Post<'/api/customers/{customer_id}/links'>;
export type CustomerCreateBody = PostBody<'/api/customers'>;
export type CustomerCreated = Post<'/api/customers'>;
export type AccountRef = LinkBody['accounts'][number];
/** An account picked from the results: its opaque reference (what is sent) and what the user sees. */
export interface LinkAccount {
  ref: string;
  system: string;
  account_no: string;
}
