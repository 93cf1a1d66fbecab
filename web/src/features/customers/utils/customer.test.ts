import { describe, expect, it } from 'vitest';
import {
  errorField,
  fiveClassColor,
  fiveClassKey,
  formatAmount,
  formatBusinessDate,
  formatRate,
  groupBySystem,
  isMasked,
  mixSlices,
  parseId,
  sharesAreComplete,
  sharesTotal,
  tierColor,
  trendSeries,
} from './customer';
import { changedFields } from '../components/EditCustomerModal';
import type { CustomerProfile } from '../api/types';

describe('customer helpers', () => {
  it('parses only positive whole ids', () => {
    expect(parseId('5')).toBe(5);
    expect(parseId('0')).toBeUndefined();
    expect(parseId('5a')).toBeUndefined();
    expect(parseId(undefined)).toBeUndefined();
  });

  it('formats amounts with separators and 2 decimals, exactly', () => {
    expect(formatAmount('1234567.891')).toBe('1,234,567.89');
    expect(formatAmount('0.005')).toBe('0.01');
    expect(formatAmount('-1200.5')).toBe('-1,200.50');
    expect(formatAmount('98765432109876543.21')).toBe('98,765,432,109,876,543.21');
    expect(formatAmount(null)).toBe('');
    expect(formatRate('3.2500')).toBe('3.25%');
    expect(formatRate(null)).toBe('');
    expect(formatBusinessDate('20240131')).toBe('2024-01-31');
  });

  it('colours VIP tiers and five-class codes', () => {
    expect(tierColor('hq_vip')).toBe('gold');
    expect(tierColor('none')).toBeUndefined();
    expect(fiveClassKey(' 3 ')).toBe('3');
    expect(fiveClassKey('正常')).toBeUndefined();
    expect(fiveClassColor('1')).toBe('green');
    expect(fiveClassColor('5')).toBe('red');
  });

  it('groups accounts by system in the page order, unknown systems last', () => {
    const groups = groupBySystem([{ system: 'card' }, { system: 'zz' }, { system: 'sav' }, { system: 'card' }]);
    expect(groups.map((g) => [g.system, g.accounts.length])).toEqual([
      ['sav', 1],
      ['card', 2],
      ['zz', 1],
    ]);
  });

  it('builds AUM and liabilities per date and the positive mix slices', () => {
    const s = trendSeries([
      { business_date: '2024-01-31', deposits: '100.10', wealth: '0.2', loans: '5', card_debt: '0.05', housing_fund: '9' },
      { business_date: '2024-01-30', deposits: '1', wealth: '2', loans: '3', card_debt: '4', housing_fund: '9' },
    ]);
    expect(s).toEqual({ banded: false, dates: ['2024-01-30', '2024-01-31'], aum: [3, 100.3], liabilities: [7, 5.05] });
    expect(
      mixSlices(
        [
          { kind: 'deposit', product: 'SAV', balance: '10' },
          { kind: 'loan', product: '', balance: '5' },
          { kind: 'wealth', product: 'W', balance: '0' },
        ],
        (c) => `<${c}>`,
      ),
    ).toEqual([
      { name: '<SAV>', value: 10, kind: 'deposit' },
      { name: 'loan', value: 5, kind: 'loan' },
    ]);
  });

  it('checks manager shares to the cent', () => {
    expect(sharesAreComplete([33.33, 33.33, 33.34])).toBe(true);
    expect(sharesAreComplete(['60', 30])).toBe(false);
    expect(sharesAreComplete([100, undefined])).toBe(true);
    expect(sharesTotal([60, 30])).toBe(90);
  });

  it('reads masks and error fields', () => {
    expect(isMasked('138****0000')).toBe(true);
    expect(isMasked('13800000000')).toBe(false);
    expect(errorField({ field: 'phone' })).toBe('phone');
    expect(errorField(['x'])).toBeUndefined();
  });

  it('sends only changed fields and never a masked value', () => {
    const profile = {
      name: '张三',
      id_type: '101',
      id_no: '320102********1234',
      phone: '138****0000',
      address: null,
      email: 'a@b.cn',
      industry: null,
    } as unknown as CustomerProfile;
    expect(changedFields(profile, { name: '张三', id_type: '101', id_no: '', phone: '', address: '', email: 'a@b.cn', industry: '' })).toEqual({});
    expect(changedFields(profile, { name: ' 张三丰 ', phone: '13900001111', email: '' })).toEqual({
      name: '张三丰',
      phone: '13900001111',
      email: '',
    });
  });
});

describe('amounts as bands (a caller without the amount right)', () => {
  const band = (lo: number, hi: number | null, negative = false) => ({ lo, hi, negative });

  it('formats a band where a number would be, in the page language', () => {
    expect(formatAmount(band(100_000, 500_000))).toBe('10万–50万');
    expect(formatAmount(band(100_000, 500_000), 'en-US')).toBe('100k–500k');
    expect(formatAmount('123456.785')).toBe('123,456.79');
  });

  it('charts band levels, never amounts, when the trend came as bands', () => {
    const s = trendSeries([
      { business_date: '2026-01-06', deposits: band(100_000, 500_000), wealth: band(0, 10_000), loans: band(0, 10_000), card_debt: band(0, 10_000), housing_fund: band(0, 10_000) },
      { business_date: '2026-01-05', deposits: band(50_000, 100_000), wealth: band(0, 10_000), loans: band(1_000_000, 5_000_000), card_debt: band(0, 10_000), housing_fund: band(0, 10_000) },
    ]);
    expect(s).toEqual({ banded: true, dates: ['2026-01-05', '2026-01-06'], aum: [2, 3], liabilities: [5, 0] });
    expect(mixSlices([{ kind: 'deposit', product: 'SAV', balance: band(10_000, 50_000) }])).toEqual([]);
  });
});
