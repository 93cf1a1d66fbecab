import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import { ApiError } from '../../../api/errors';
import { createBody, idTypeFits } from '../components/CreateCustomerModal';
import { topBody } from '../pages/TopCorporatePage';
import {
  DEFAULT_SORT,
  accountRefs,
  columnSortOrder,
  conflictAccounts,
  corporateConditions,
  errorField,
  isMaskedNumber,
  keyRows,
  maySearchSensitive,
  passbookConditions,
  personalConditions,
  queryErrorKind,
  sortFromTable,
  topBars,
  validationLines,
} from './query';
import type { AccountRow, TopRow } from '../api/types';

const row = (system: string, account_no: string): AccountRow => ({
  system,
  account_no,
  ref: `ref-${system}-${account_no}`,
  kind: 'deposit',
  customer_id: 1,
  customer_no: 'C1',
  customer_name: 'x',
  product: null,
  org_code: null,
  balance: null,
  mtd_avg: null,
  open_date: null,
  maturity_date: null,
  rate: null,
  amount: null,
  five_class: null,
  overdue_days: null,
  status: null,
  as_of: '2024-01-31',
});

describe('condition bodies', () => {
  it('personal: defaults, trimmed text, dates as YYYY-MM-DD, unset conditions left out', () => {
    expect(personalConditions({}, DEFAULT_SORT, true)).toEqual({
      systems: ['sav', 'card', 'hpf', 'pl'],
      name: '',
      products: [],
      overdue_only: false,
      five_class: [],
      sort: 'balance',
      order: 'desc',
    });
    expect(
      personalConditions(
        {
          systems: ['card'],
          name: '  王 ',
          id_no: ' 11010519491231002X ',
          account_no: '',
          org_id: 3,
          open_from: dayjs('2024-01-02'),
          maturity_to: dayjs('2025-12-31'),
          balance_min: 0,
          balance_max: null,
          products: ['SAV_YZT'],
          five_class: ['4'],
          overdue_only: true,
        },
        { sort: 'open_date', order: 'asc' },
        true,
      ),
    ).toEqual({
      systems: ['card'],
      name: '王',
      id_no: '11010519491231002X',
      products: ['SAV_YZT'],
      org_id: 3,
      open_from: '2024-01-02',
      balance_min: 0,
      maturity_to: '2025-12-31',
      overdue_only: true,
      five_class: ['4'],
      sort: 'open_date',
      order: 'asc',
    });
  });

  it('never sends ID or account numbers for a user who may not search by them', () => {
    const body = personalConditions({ id_no: '11010519491231002X', account_no: '6222000011112222' }, DEFAULT_SORT, false);
    expect(body).not.toHaveProperty('id_no');
    expect(body).not.toHaveProperty('account_no');
    expect(corporateConditions({ account_no: '3201000000001' }, DEFAULT_SORT, false)).not.toHaveProperty('account_no');
  });

  it('passbooks and corporate', () => {
    expect(passbookConditions({ org_id: 2, open_to: dayjs('2024-03-31') }, DEFAULT_SORT)).toEqual({
      org_id: 2,
      open_to: '2024-03-31',
      sort: 'balance',
      order: 'desc',
    });
    expect(corporateConditions({ name: ' 公司 ', product: 'CORP_FIXED', account_no: '3201000000001' }, DEFAULT_SORT, true)).toEqual({
      name: '公司',
      product: 'CORP_FIXED',
      account_no: '3201000000001',
      sort: 'balance',
      order: 'desc',
    });
  });

  it('top: org only when chosen', () => {
    expect(topBody({ by: 'loans', n: 5 })).toEqual({ by: 'loans', n: 5 });
    expect(topBody({ by: 'npl', n: 10, org_id: 4 })).toEqual({ by: 'npl', n: 10, org_id: 4 });
  });
});

describe('sorting', () => {
  it('maps table sorts, falls back to the default when cleared or unknown', () => {
    expect(sortFromTable({ field: 'maturity_date', order: 'ascend' })).toEqual({ sort: 'maturity_date', order: 'asc' });
    expect(sortFromTable({ field: 'account_no', order: 'descend' })).toEqual({ sort: 'account_no', order: 'desc' });
    expect(sortFromTable({ field: 'balance' })).toEqual(DEFAULT_SORT);
    expect(sortFromTable({ field: 'customer_name', order: 'ascend' })).toEqual(DEFAULT_SORT);
    expect(columnSortOrder(DEFAULT_SORT, 'balance')).toBe('descend');
    expect(columnSortOrder(DEFAULT_SORT, 'open_date')).toBeNull();
  });
});

describe('rights and masking', () => {
  it('sensitive search needs reveal or unmask', () => {
    expect(maySearchSensitive((p) => p === 'customer.reveal')).toBe(true);
    expect(maySearchSensitive((p) => p === 'customer.unmask')).toBe(true);
    expect(maySearchSensitive((p) => p === 'customer.link')).toBe(false);
  });

  it('links accounts by their references, masked or not', () => {
    expect(isMaskedNumber('6222********2222')).toBe(true);
    expect(isMaskedNumber('6222000011112222')).toBe(false);
    expect(accountRefs([row('sav', '6222000011112222'), row('sav', '6222********2222')])).toEqual([
      { ref: 'ref-sav-6222000011112222', system: 'sav', account_no: '6222000011112222' },
      { ref: 'ref-sav-6222********2222', system: 'sav', account_no: '6222********2222' },
    ]);
  });

  it('keys rows uniquely even when masked numbers coincide', () => {
    const keys = keyRows([row('sav', '62**22'), row('sav', '62**22')]).map((r) => r.row_key);
    expect(new Set(keys).size).toBe(2);
  });
});

describe('server errors', () => {
  it('reads a 409 linked_elsewhere', () => {
    const e = new ApiError(409, { code: 'linked_elsewhere', message: 'm', details: { accounts: ['sav:62**22', 3] } });
    expect(conflictAccounts(e)).toEqual(['sav:62**22']);
    expect(conflictAccounts(new ApiError(409, { code: 'duplicate_id', message: 'm' }))).toBeNull();
    expect(conflictAccounts(new Error('x'))).toBeNull();
  });

  it('reads 422 details and the kind of refusal', () => {
    const e = new ApiError(422, {
      code: 'validation_error',
      message: 'invalid',
      details: [
        { loc: ['body', 'balance_min'], msg: 'Input should be a valid decimal', type: 'decimal_parsing' },
        { loc: ['body'], msg: 'Value error, balance_min is above balance_max', type: 'value_error' },
      ],
    });
    expect(validationLines(e)).toEqual(['balance_min: Input should be a valid decimal', 'balance_min is above balance_max']);
    expect(queryErrorKind(e)).toBe('invalid');
    expect(queryErrorKind(new ApiError(404, { code: 'not_found', message: 'm' }))).toBe('org');
    expect(queryErrorKind(new ApiError(403, { code: 'sensitive_search', message: 'm' }))).toBe('sensitive');
    expect(queryErrorKind(new ApiError(500, { code: 'internal_error', message: 'm' }))).toBe('other');
    expect(errorField(new ApiError(400, { code: 'invalid_phone', message: 'm', details: { field: 'phone' } }))).toBe('phone');
  });
});

describe('top chart', () => {
  it('bars in rank order with the chosen measure', () => {
    const r = (rank: number, name: string, deposits: string, npl: string): TopRow => ({
      rank,
      customer_id: rank,
      customer_no: `C${rank}`,
      name,
      org_name: 'o',
      deposits,
      loans: '0',
      npl,
    });
    const rows = [r(2, 'B', '10.5', '1'), r(1, 'A', '20', '0')];
    expect(topBars(rows, 'deposits')).toEqual({ names: ['A', 'B'], values: [20, 10.5], banded: false });
    expect(topBars(rows, 'npl')).toEqual({ names: ['A', 'B'], values: [0, 1], banded: false });
  });
});

describe('create customer', () => {
  it('fits ID types to the customer type', () => {
    expect(idTypeFits('101', 'personal')).toBe(true);
    expect(idTypeFits('201', 'personal')).toBe(false);
    expect(idTypeFits('201', 'corporate')).toBe(true);
  });

  it('builds the body: trimmed, empty optionals left out, industry only for corporate', () => {
    const accounts = [{ ref: 'r1', system: 'corp', account_no: '3201' }];
    const base = { org_id: 2, name: ' 某公司 ', id_type: '201', id_no: ' 91320000MA1XXXXX0X ', counts_for_assessment: false, move: true };
    expect(createBody({ ...base, type: 'corporate', phone: ' ', industry: 'C', email: '' }, accounts)).toEqual({
      type: 'corporate',
      org_id: 2,
      name: '某公司',
      id_type: '201',
      id_no: '91320000MA1XXXXX0X',
      industry: 'C',
      accounts: [{ ref: 'r1' }],
      counts_for_assessment: false,
      move: true,
    });
    expect(createBody({ ...base, type: 'personal', industry: 'C' }, [])).not.toHaveProperty('industry');
  });
});

describe('top-N bars as bands', () => {
  it('gives band levels, not amounts, when the figures came as bands', () => {
    const row = (rank: number, lo: number, hi: number | null) => ({
      rank,
      customer_id: rank,
      customer_no: `C${rank}`,
      name: `客户${rank}`,
      org_name: '鼓楼支行',
      deposits: { lo, hi, negative: false },
      loans: { lo: 0, hi: 10_000, negative: false },
      npl: { lo: 0, hi: 10_000, negative: false },
    });
    expect(topBars([row(2, 100_000, 500_000), row(1, 10_000_000, null)], 'deposits')).toEqual({
      names: ['客户1', '客户2'],
      values: [7, 3],
      banded: true,
    });
  });
});
