/** Pure display helpers of the customer pages (no React, no i18n): tested in customer.test.ts. */
import { bandLevel, formatBand, isAmountBand, type AmountBand } from '../../../lib/format';
import type { Holding, MixItem, Tier, TrendPoint } from '../api/types';

/** An amount as the server sends it: a decimal string, or its band for callers without the amount right. */
export type Money = string | number | AmountBand | null | undefined;

/** Address of a customer's 360 page. */
export function customerPath(id: number): string {
  return `/customers/${id}`;
}

/** The customer id of the address, or undefined when it is not a positive whole number. */
export function parseId(raw: string | undefined): number | undefined {
  if (!raw || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export const TIERS: readonly Tier[] = ['hq_vip', 'province_vip', 'branch_vip', 'none'];

/** antd Tag colour of a VIP tier; undefined for none (no tag is shown). */
export function tierColor(tier: string | null | undefined): string | undefined {
  switch (tier) {
    case 'hq_vip':
      return 'gold';
    case 'province_vip':
      return 'purple';
    case 'branch_vip':
      return 'blue';
    default:
      return undefined;
  }
}

export function isVipTier(tier: string | null | undefined): tier is 'hq_vip' | 'province_vip' | 'branch_vip' {
  return tier === 'hq_vip' || tier === 'province_vip' || tier === 'branch_vip';
}

/** The source systems of accounts, in the order the 360 page lists them. */
export const SYSTEMS = ['sav', 'corp', 'crd', 'pl', 'card', 'wm', 'hpf'] as const;
export type KnownSystem = (typeof SYSTEMS)[number];

export function isKnownSystem(s: string): s is KnownSystem {
  return (SYSTEMS as readonly string[]).includes(s);
}

/** Accounts grouped by system: known systems in their order, then any other system by name. */
export function groupBySystem<T extends Pick<Holding, 'system'>>(accounts: readonly T[]): { system: string; accounts: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const a of accounts) {
    const list = groups.get(a.system);
    if (list) list.push(a);
    else groups.set(a.system, [a]);
  }
  const rank = (s: string) => {
    const i = (SYSTEMS as readonly string[]).indexOf(s);
    return i < 0 ? SYSTEMS.length : i;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([system, list]) => ({ system, accounts: list }));
}

/** 五级分类: codes 1–5 (the loan feeds' codes); other values are shown as they came. */
export const FIVE_CLASS_CODES = ['1', '2', '3', '4', '5'] as const;

export function fiveClassKey(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim();
  return (FIVE_CLASS_CODES as readonly string[]).includes(v) ? v : undefined;
}

/** antd Tag colour of a five-class code: normal green, special mention orange, the rest red. */
export function fiveClassColor(value: string | null | undefined): string | undefined {
  const k = fiveClassKey(value);
  if (k === '1') return 'green';
  if (k === '2') return 'orange';
  if (k) return 'red';
  return undefined;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * An amount (the server sends decimals as strings) with thousands separators and 2 decimals,
 * rounded half up on the decimal digits themselves, so that large totals lose no cent to floats;
 * a band is shown as its text in the page's language.
 */
export function formatAmount(value: Money, lang = 'zh-CN'): string {
  if (value === null || value === undefined) return '';
  if (isAmountBand(value)) return formatBand(value, lang);
  const s = String(value).trim();
  if (s === '') return '';
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (!m[2] && !m[3])) {
    const n = Number(s);
    return Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : s;
  }
  const sign = m[1] === '-' ? '-' : '';
  const fraction = m[3] ?? '';
  let cents = BigInt(`${m[2] || '0'}${`${fraction}00`.slice(0, 2)}`);
  const next = fraction.charAt(2);
  if (next !== '' && next >= '5') cents += 1n;
  const whole = groupThousands((cents / 100n).toString());
  const part = (cents % 100n).toString().padStart(2, '0');
  return `${cents === 0n ? '' : sign}${whole}.${part}`;
}

/** A rate as sent (e.g. "3.25" meaning 3.25 %), shown with a percent sign; empty when unknown. */
export function formatRate(value: string | number | null | undefined): string {
  if (value === null || value === undefined || String(value).trim() === '') return '';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  return `${String(Number(n.toFixed(4)))}%`;
}

/** A decimal string as a number for charts (cents are irrelevant at chart scale); a band counts as 0. */
export function toNumber(value: Money): number {
  if (value === null || value === undefined || isAmountBand(value)) return 0;
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

export interface TrendSeries {
  /** The customer's amounts came as bands: the series are band levels (`bandLevel`), not amounts. */
  banded: boolean;
  dates: string[];
  /** Assets under management: deposits + wealth. */
  aum: number[];
  /** Liabilities: loans + card debt. */
  liabilities: number[];
}

/** AUM and liabilities per business date, rounded to cents, in date order. */
export function trendSeries(points: readonly TrendPoint[]): TrendSeries {
  const sorted = [...points].sort((a, b) => a.business_date.localeCompare(b.business_date));
  const round = (n: number) => Math.round(n * 100) / 100;
  if (sorted.some((p) => isAmountBand(p.deposits))) {
    // Bands cannot be added up: the banded chart shows deposits and loans, each as its band.
    const level = (v: Money) => (isAmountBand(v) ? bandLevel(v) : 0);
    return {
      banded: true,
      dates: sorted.map((p) => p.business_date),
      aum: sorted.map((p) => level(p.deposits)),
      liabilities: sorted.map((p) => level(p.loans)),
    };
  }
  return {
    banded: false,
    dates: sorted.map((p) => p.business_date),
    aum: sorted.map((p) => round(toNumber(p.deposits) + toNumber(p.wealth))),
    liabilities: sorted.map((p) => round(toNumber(p.loans) + toNumber(p.card_debt))),
  };
}

/** Whether any of the values came as a band (the caller lacks the amount right). */
export function anyBanded(values: readonly Money[]): boolean {
  return values.some((v) => isAmountBand(v));
}

/** Product-mix slices for the pie: positive balances only, named by product (or kind). */
export function mixSlices(mix: readonly MixItem[], productLabel: (code: string) => string = (c) => c): { name: string; value: number; kind: string }[] {
  return mix
    .map((m) => ({ name: m.product ? productLabel(m.product) : m.kind, value: toNumber(m.balance), kind: m.kind }))
    .filter((s) => s.value > 0);
}

/** A share typed into the managers form, in hundredths of a percent (so 33.33 + 33.33 + 33.34 is exact). */
function shareCents(share: number | string | null | undefined): number {
  const n = Number(share);
  return Number.isFinite(n) ? Math.round(n * 100) : 0;
}

/** The shares' total in percent (to 2 decimals). */
export function sharesTotal(shares: readonly (number | string | null | undefined)[]): number {
  return shares.reduce<number>((sum, s) => sum + shareCents(s), 0) / 100;
}

/** Whether the shares add up to exactly 100 %. */
export function sharesAreComplete(shares: readonly (number | string | null | undefined)[]): boolean {
  return shares.reduce<number>((sum, s) => sum + shareCents(s), 0) === 10_000;
}

/** The server masks with asterisks; a value without any is already in clear and needs no reveal. */
export function isMasked(value: string | null | undefined): boolean {
  return !!value && /[*＊]/.test(value);
}

/** The `details.field` of a server error naming a form field, if any. */
export function errorField(details: unknown): string | undefined {
  if (typeof details === 'object' && details !== null && 'field' in details) {
    const f = (details as { field: unknown }).field;
    return typeof f === 'string' ? f : undefined;
  }
  return undefined;
}

/** "20240131" → "2024-01-31"; anything else is shown as it came. */
export function formatBusinessDate(value: string | null | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : value;
}
