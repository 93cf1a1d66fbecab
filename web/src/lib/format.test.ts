import { describe, expect, it } from 'vitest';
import { bandLevel, formatBand, isAmountBand, levelBand } from './format';

describe('amount bands (decision 0017)', () => {
  it('formats a band in both languages, debts with their sign', () => {
    expect(formatBand({ lo: 100_000, hi: 500_000 }, 'zh-CN')).toBe('10万–50万');
    expect(formatBand({ lo: 100_000, hi: 500_000 }, 'en-US')).toBe('100k–500k');
    expect(formatBand({ lo: 0, hi: 10_000 }, 'zh-CN')).toBe('<1万');
    expect(formatBand({ lo: 10_000_000, hi: null }, 'zh-CN')).toBe('≥1000万');
    expect(formatBand({ lo: 5_000_000, hi: 10_000_000 }, 'en-US')).toBe('5M–10M');
    expect(formatBand({ lo: 100_000, hi: 500_000, negative: true }, 'zh-CN')).toBe('-(10万–50万)');
  });

  it('tells a band from a decimal string', () => {
    expect(isAmountBand({ lo: 0, hi: 10_000, negative: false })).toBe(true);
    expect(isAmountBand('123.45')).toBe(false);
    expect(isAmountBand(null)).toBe(false);
  });

  it('maps bands to chart levels and back', () => {
    for (const band of [
      { lo: 0, hi: 10_000, negative: false },
      { lo: 100_000, hi: 500_000, negative: false },
      { lo: 10_000_000, hi: null, negative: false },
      { lo: 50_000, hi: 100_000, negative: true },
    ]) {
      expect(levelBand(bandLevel(band))).toEqual(band);
    }
    expect(bandLevel({ lo: 100_000, hi: 500_000 })).toBe(3);
  });
});
