/** Pure helpers of the query pages (no React, no i18n): condition bodies, sorting, errors, chart data. */
import type { Dayjs } from 'dayjs';
import type { SortState } from '../../../components/DataTable';
import { ApiError } from '../../../api/errors';
import { bandLevel, isAmountBand, type AmountBand } from '../../../lib/format';
import type {
  AccountRef,
  LinkAccount,
  AccountRow,
  AccountSort,
  CorporateConditions,
  FiveClass,
  PassbookConditions,
  PersonalConditions,
  PersonalSystem,
  SortOrder,
  TopMeasure,
  TopRow,
} from '../api/types';

export const PERSONAL_SYSTEMS: readonly PersonalSystem[] = ['sav', 'card', 'hpf', 'pl'];
/** Every source system a result row can come from (labels in the `query` namespace, `systems.*`). */
export const SYSTEMS = ['sav', 'card', 'hpf', 'pl', 'corp', 'crd'] as const;
export const FIVE_CLASSES: readonly FiveClass[] = ['1', '2', '3', '4', '5'];
export const CORPORATE_PRODUCTS = ['CORP_DEMAND', 'CORP_FIXED', 'CORP_LOAN'] as const;
export type CorporateProduct = (typeof CORPORATE_PRODUCTS)[number];
export const TOP_MEASURES: readonly TopMeasure[] = ['deposits', 'loans', 'npl'];
export const SORTABLE: readonly AccountSort[] = ['balance', 'mtd_avg', 'open_date', 'maturity_date', 'customer_no', 'account_no'];
export const DEFAULT_SORT: { sort: AccountSort; order: SortOrder } = { sort: 'balance', order: 'desc' };
export const TOP_N_MAX = 100;

export function isKnownSystem(s: string): s is (typeof SYSTEMS)[number] {
  return (SYSTEMS as readonly string[]).includes(s);
}

export function isFiveClass(s: string | null | undefined): s is FiveClass {
  return !!s && (FIVE_CLASSES as readonly string[]).includes(s.trim());
}

/** antd Tag colour of a five-class code: normal green, special mention orange, the rest red. */
export function fiveClassColor(value: string | null | undefined): string | undefined {
  if (!isFiveClass(value)) return undefined;
  const v = value.trim();
  return v === '1' ? 'green' : v === '2' ? 'orange' : 'red';
}

/** Condition form values shared by the account queries. */
export interface RangeValues {
  org_id?: number | null;
  open_from?: Dayjs | null;
  open_to?: Dayjs | null;
  balance_min?: number | null;
  balance_max?: number | null;
}

export interface PersonalValues extends RangeValues {
  systems?: PersonalSystem[];
  name?: string;
  id_no?: string;
  account_no?: string;
  products?: string[];
  maturity_from?: Dayjs | null;
  maturity_to?: Dayjs | null;
  overdue_only?: boolean;
  five_class?: FiveClass[];
}

export interface CorporateValues extends RangeValues {
  name?: string;
  product?: CorporateProduct | null;
  account_no?: string;
}

export function dateText(d: Dayjs | null | undefined): string | undefined {
  return d && d.isValid() ? d.format('YYYY-MM-DD') : undefined;
}

function text(v: string | null | undefined): string | undefined {
  const s = (v ?? '').trim();
  return s === '' ? undefined : s;
}

function num(v: number | null | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Only the conditions that are set; unset ones are left out of the body. */
function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function ranges(v: RangeValues) {
  return compact({
    org_id: num(v.org_id),
    open_from: dateText(v.open_from),
    open_to: dateText(v.open_to),
    balance_min: num(v.balance_min),
    balance_max: num(v.balance_max),
  });
}

export type Sorting = { sort: AccountSort; order: SortOrder };

/**
 * QRY-1 conditions. ID and account numbers are sent only when the user may search by them
 * (the server answers 403 `sensitive_search` otherwise; the form hides those fields then).
 */
export function personalConditions(v: PersonalValues, sorting: Sorting, sensitive: boolean): PersonalConditions {
  return {
    systems: v.systems && v.systems.length ? [...v.systems] : [...PERSONAL_SYSTEMS],
    name: text(v.name) ?? '',
    ...compact({
      id_no: sensitive ? text(v.id_no) : undefined,
      account_no: sensitive ? text(v.account_no) : undefined,
    }),
    // Product codes are upper case (typed ones too, when the code table cannot be read).
    products: (v.products ?? []).map((p) => p.trim().toUpperCase()).filter((p) => p !== ''),
    ...ranges(v),
    ...compact({ maturity_from: dateText(v.maturity_from), maturity_to: dateText(v.maturity_to) }),
    overdue_only: !!v.overdue_only,
    five_class: [...(v.five_class ?? [])],
    ...sorting,
  };
}

export function passbookConditions(v: RangeValues, sorting: Sorting): PassbookConditions {
  return { ...ranges(v), ...sorting };
}

export function corporateConditions(v: CorporateValues, sorting: Sorting, sensitive: boolean): CorporateConditions {
  return {
    name: text(v.name) ?? '',
    ...compact({ product: v.product ?? undefined, account_no: sensitive ? text(v.account_no) : undefined }),
    ...ranges(v),
    ...sorting,
  };
}

/** The sort a table header click asks for; a cleared sort goes back to the default (balance, descending). */
export function sortFromTable(s: SortState): Sorting {
  const field = SORTABLE.find((f) => f === s.field);
  return field && s.order ? { sort: field, order: s.order === 'descend' ? 'desc' : 'asc' } : DEFAULT_SORT;
}

/** The antd `sortOrder` of a column under the current sort. */
export function columnSortOrder(sorting: Sorting, field: AccountSort): 'ascend' | 'descend' | null {
  return sorting.sort === field ? (sorting.order === 'desc' ? 'descend' : 'ascend') : null;
}

/** Whether the user may search by ID or account number (otherwise the server refuses with 403 `sensitive_search`). */
export function maySearchSensitive(can: (p: string) => boolean): boolean {
  return can('customer.reveal') || can('customer.unmask');
}

/** Masked numbers carry asterisks; the server needs the real number to link an account. */
export function isMaskedNumber(value: string | null | undefined): boolean {
  return !!value && /[*＊]/.test(value);
}

/** A result row with a key that stays unique even where masked numbers coincide. */
export type KeyedRow = AccountRow & { row_key: string };

export function keyRows(rows: readonly AccountRow[] | undefined): KeyedRow[] {
  return (rows ?? []).map((r, i) => ({ ...r, row_key: `${i}:${r.system}:${r.account_no}` }));
}

/** The accounts to link, by the opaque references the query handed out: the server reads the real
 * numbers from them, so users who see only masked numbers can link too. */
export function accountRefs(rows: readonly AccountRow[]): LinkAccount[] {
  return rows.map((r) => ({ ref: r.ref, system: r.system, account_no: r.account_no }));
}

/** What a link request carries for each account: the reference only. */
export function refBodies(accounts: readonly LinkAccount[]): AccountRef[] {
  return accounts.map((a) => ({ ref: a.ref }));
}

/** The accounts a 409 `linked_elsewhere` names (`details.accounts`: "system:masked number"). */
export function conflictAccounts(err: unknown): string[] | null {
  if (!(err instanceof ApiError) || err.status !== 409 || err.code !== 'linked_elsewhere') return null;
  const d = err.details;
  if (typeof d === 'object' && d !== null && 'accounts' in d && Array.isArray((d as { accounts: unknown }).accounts)) {
    return (d as { accounts: unknown[] }).accounts.filter((a): a is string => typeof a === 'string');
  }
  return [];
}

/** The `details.field` of a server error naming a form field, if any. */
export function errorField(err: unknown): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const d = err.details;
  if (typeof d === 'object' && d !== null && 'field' in d) {
    const f = (d as { field: unknown }).field;
    return typeof f === 'string' ? f : undefined;
  }
  return undefined;
}

/** The 422 details as "field: reason" lines (the server echoes where and why, never the value). */
export function validationLines(err: unknown): string[] {
  if (!(err instanceof ApiError) || err.status !== 422 || !Array.isArray(err.details)) return [];
  return err.details.flatMap((d: unknown) => {
    if (typeof d !== 'object' || d === null) return [];
    const { loc, msg } = d as { loc?: unknown; msg?: unknown };
    const where = Array.isArray(loc) ? loc.filter((x) => x !== 'body').join('.') : '';
    const why = typeof msg === 'string' ? msg.replace(/^Value error, /, '') : '';
    if (!why) return [];
    return [where ? `${where}: ${why}` : why];
  });
}

/** Which kind of refusal a query got, for the message the page shows. */
export type QueryErrorKind = 'invalid' | 'org' | 'sensitive' | 'other';

export function queryErrorKind(err: unknown): QueryErrorKind {
  if (err instanceof ApiError) {
    if (err.status === 422) return 'invalid';
    if (err.status === 404) return 'org';
    if (err.status === 403 && err.code === 'sensitive_search') return 'sensitive';
  }
  return 'other';
}

/** A decimal string as a number for charts (cents are irrelevant at chart scale); a band counts as 0. */
export function toNumber(value: string | number | AmountBand | null | undefined): number {
  if (value === null || value === undefined || isAmountBand(value)) return 0;
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

/**
 * The bars of the top-N chart: names in rank order and the chosen measure; for a caller who sees
 * bands, the bars are band levels (`bandLevel`: 0 for <1万 … 7 for ≥1000万), never amounts.
 */
export function topBars(rows: readonly TopRow[], by: TopMeasure): { names: string[]; values: number[]; banded: boolean } {
  const sorted = [...rows].sort((a, b) => a.rank - b.rank);
  const banded = sorted.some((r) => isAmountBand(r[by]));
  const value = (v: TopRow[TopMeasure]) => (isAmountBand(v) ? bandLevel(v) : toNumber(v));
  return { names: sorted.map((r) => r.name), values: sorted.map((r) => value(r[by])), banded };
}
