import { describe, expect, it } from 'vitest';
import {
  anyRunning,
  feedBars,
  formatAmount,
  formatBusinessDate,
  formatCount,
  formatDuration,
  refreshWhileRunning,
  RUNNING_REFRESH_MS,
  runPath,
  runSeconds,
  statusColor,
} from './runs';

describe('statusColor', () => {
  it('maps each status to its antd preset colour', () => {
    expect(statusColor('running')).toBe('processing');
    expect(statusColor('published')).toBe('success');
    expect(statusColor('failed')).toBe('error');
  });
});

describe('refresh while running', () => {
  it('refreshes every 5 s only while a run on the page is running', () => {
    expect(anyRunning(undefined)).toBe(false);
    expect(anyRunning([])).toBe(false);
    expect(anyRunning([{ status: 'published' }, { status: 'failed' }])).toBe(false);
    expect(anyRunning([{ status: 'published' }, { status: 'running' }])).toBe(true);
    expect(refreshWhileRunning([{ status: 'running' }])).toBe(RUNNING_REFRESH_MS);
    expect(RUNNING_REFRESH_MS).toBe(5000);
    expect(refreshWhileRunning([{ status: 'published' }])).toBe(false);
    expect(refreshWhileRunning(undefined)).toBe(false);
  });
});

describe('formatBusinessDate', () => {
  it('shows YYYYMMDD as YYYY-MM-DD', () => {
    expect(formatBusinessDate('20240131')).toBe('2024-01-31');
  });
  it('leaves anything else as it came', () => {
    expect(formatBusinessDate('2024-01-31')).toBe('2024-01-31');
    expect(formatBusinessDate('202401')).toBe('202401');
    expect(formatBusinessDate('')).toBe('');
    expect(formatBusinessDate(null)).toBe('');
  });
});

describe('formatCount', () => {
  it('adds thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234)).toBe('1,234');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(null)).toBe('');
  });
});

describe('formatAmount', () => {
  it('shows 2 decimals with thousands separators', () => {
    expect(formatAmount('0')).toBe('0.00');
    expect(formatAmount('1234567.8')).toBe('1,234,567.80');
    expect(formatAmount('1234.5')).toBe('1,234.50');
    expect(formatAmount('12')).toBe('12.00');
    expect(formatAmount('.5')).toBe('0.50');
    expect(formatAmount(1234.5)).toBe('1,234.50');
  });
  it('rounds half up on the digits, without float loss on large totals', () => {
    expect(formatAmount('0.005')).toBe('0.01');
    expect(formatAmount('0.004')).toBe('0.00');
    expect(formatAmount('999.995')).toBe('1,000.00');
    expect(formatAmount('12345678901234567.891')).toBe('12,345,678,901,234,567.89');
  });
  it('keeps the sign of negative amounts, but not of a zero', () => {
    expect(formatAmount('-1234.567')).toBe('-1,234.57');
    expect(formatAmount('-0.001')).toBe('0.00');
  });
  it('handles exponent notation and leaves non-numbers alone', () => {
    expect(formatAmount('1E+3')).toBe('1,000.00');
    expect(formatAmount('abc')).toBe('abc');
    expect(formatAmount('')).toBe('');
    expect(formatAmount(null)).toBe('');
  });
});

describe('formatDuration', () => {
  it('shows seconds, minutes and hours', () => {
    expect(formatDuration(8.44)).toBe('8.4s');
    expect(formatDuration(0)).toBe('0.0s');
    expect(formatDuration(125)).toBe('2m 05s');
    expect(formatDuration(3723.4)).toBe('1h 02m 03s');
  });
  it('is empty when unknown', () => {
    expect(formatDuration(null)).toBe('');
    expect(formatDuration(undefined)).toBe('');
    expect(formatDuration(-1)).toBe('');
  });
});

describe('runSeconds', () => {
  const started_at = '2024-02-01T01:00:00Z';
  const now = Date.parse('2024-02-01T01:00:30Z');
  it("uses the run's own figure once known", () => {
    expect(runSeconds({ status: 'published', seconds: 12.5, started_at }, now)).toBe(12.5);
  });
  it('counts from the start while running', () => {
    expect(runSeconds({ status: 'running', seconds: null, started_at }, now)).toBe(30);
  });
  it('is unknown for a finished run without a figure', () => {
    expect(runSeconds({ status: 'failed', seconds: null, started_at }, now)).toBeNull();
  });
});

describe('feedBars and runPath', () => {
  it('keeps the files order', () => {
    expect(
      feedBars([
        { feed: 'cust_info', accepted: 10, rejected: 2 },
        { feed: 'acct_bal', accepted: 5, rejected: 0 },
      ]),
    ).toEqual({ feeds: ['cust_info', 'acct_bal'], accepted: [10, 5], rejected: [2, 0] });
  });
  it('links a run', () => {
    expect(runPath(42)).toBe('/etl/runs/42');
  });
});
