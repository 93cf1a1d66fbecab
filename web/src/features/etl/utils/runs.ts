/** Pure display helpers of the load-run monitor (no React, no i18n): tested in runs.test.ts. */
import type { EtlRunFile, EtlRunStatus } from '../../../api/types';

/** Address of a run's detail page (linkable). */
export function runPath(id: number): string {
  return `/etl/runs/${id}`;
}

/** How often a page holding a running run asks again. */
export const RUNNING_REFRESH_MS = 5_000;

/** antd Tag colour of a run status (preset status colours: blue, green, red). */
export function statusColor(status: EtlRunStatus): 'processing' | 'success' | 'error' | 'default' {
  switch (status) {
    case 'running':
      return 'processing';
    case 'published':
      return 'success';
    case 'failed':
      return 'error';
    default:
      return 'default';
  }
}

/** Whether any of the runs is still running (the page then refreshes itself). */
export function anyRunning(runs: readonly { status: EtlRunStatus }[] | undefined): boolean {
  return !!runs?.some((r) => r.status === 'running');
}

/** TanStack Query `refetchInterval` for data holding runs: every 5 s while one runs, otherwise never. */
export function refreshWhileRunning(runs: readonly { status: EtlRunStatus }[] | undefined): number | false {
  return anyRunning(runs) ? RUNNING_REFRESH_MS : false;
}

/** "20240131" → "2024-01-31"; anything else is shown as it came. */
export function formatBusinessDate(value: string | null | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : value;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A row count with thousands separators: 1234567 → "1,234,567". */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

/**
 * An amount (the server sends decimals as strings) with thousands separators and 2 decimals,
 * rounded half up on the decimal digits themselves, so that large totals lose no cent to floats.
 */
export function formatAmount(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value).trim();
  if (s === '') return '';
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (!m[2] && !m[3])) {
    const n = Number(s);
    return Number.isFinite(n)
      ? n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
      : s;
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

/** A duration in seconds: "8.4s", "2m 05s", "1h 02m 03s"; empty when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return `${(Math.round(seconds * 10) / 10).toFixed(1)}s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}h ${pad(m)}m ${pad(s)}s` : `${m}m ${pad(s)}s`;
}

/** Seconds a run has taken: its own figure once finished, else the time since it started (while running). */
export function runSeconds(
  run: { status: EtlRunStatus; seconds: number | null; started_at: string },
  now: number = Date.now(),
): number | null {
  if (run.seconds !== null) return run.seconds;
  if (run.status !== 'running') return null;
  const started = Date.parse(run.started_at);
  return Number.isNaN(started) ? null : Math.max(0, (now - started) / 1000);
}

export interface FeedBars {
  feeds: string[];
  accepted: number[];
  rejected: number[];
}

/** Accepted and rejected rows per feed, in the files' order, for the stacked bar chart. */
export function feedBars(files: readonly Pick<EtlRunFile, 'feed' | 'accepted' | 'rejected'>[]): FeedBars {
  return {
    feeds: files.map((f) => f.feed),
    accepted: files.map((f) => f.accepted),
    rejected: files.map((f) => f.rejected),
  };
}
