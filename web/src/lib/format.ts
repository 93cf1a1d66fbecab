/** Small display helpers shared by pages. */
import dayjs from 'dayjs';

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : value;
}

/** JSON shown as text (never as HTML). */
export function jsonText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Picks the label for the current language from a zh/en pair. */
export function localized(lang: string, zh: string, en: string | null | undefined): string {
  return lang.startsWith('en') && en ? en : zh;
}

/**
 * A customer's amount shown as its band (decision 0017): callers without the amount right get
 * `{lo, hi, negative}` where a decimal string would be. The band is one value in both languages;
 * this is its text: 10万–50万 (zh-CN) or 100k–500k (en-US), <1万, ≥1000万, a debt -(10万–50万).
 */
export interface AmountBand {
  lo: number;
  hi: number | null;
  negative?: boolean;
}

/** Lower edges of the bands, in yuan (the server's `masking.BAND_EDGES`). */
export const BAND_EDGES = [0, 10_000, 50_000, 100_000, 500_000, 1_000_000, 5_000_000, 10_000_000] as const;

export function isAmountBand(value: unknown): value is AmountBand {
  return typeof value === 'object' && value !== null && 'lo' in value && typeof (value as AmountBand).lo === 'number';
}

function yuan(n: number, lang: string): string {
  if (!lang.startsWith('en')) return `${n / 10_000}万`;
  return n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1_000}k`;
}

export function formatBand(band: AmountBand, lang: string): string {
  let text: string;
  if (band.lo === 0) text = `<${yuan(band.hi ?? BAND_EDGES[1], lang)}`;
  else if (band.hi === null) text = `≥${yuan(band.lo, lang)}`;
  else text = `${yuan(band.lo, lang)}–${yuan(band.hi, lang)}`;
  return band.negative ? `-(${text})` : text;
}

/** A band's position for charts: 0 for <1万 … 7 for ≥1000万, negative for debts (-1 … -8 below zero). */
export function bandLevel(band: AmountBand): number {
  const i = Math.max(0, BAND_EDGES.findIndex((e) => e === band.lo));
  return band.negative ? -(i + 1) : i;
}

/** The band a chart level stands for (the inverse of `bandLevel`). */
export function levelBand(level: number): AmountBand {
  const negative = level < 0;
  const i = Math.min(BAND_EDGES.length - 1, Math.max(0, negative ? -level - 1 : Math.round(level)));
  return { lo: BAND_EDGES[i] ?? 0, hi: BAND_EDGES[i + 1] ?? null, negative };
}
