/** Test helpers shared by the query pages' tests (imported only by *.test.tsx files). */
import { vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { makeMe, stubFetch } from '../../../test/render';
import type { AccountRow } from '../api/types';

export function accountRow(overrides: Partial<AccountRow> = {}): AccountRow {
  return {
    system: 'sav',
    account_no: '6222000011112222',
    kind: 'deposit',
    customer_id: 5,
    customer_no: 'C0005',
    customer_name: '张三',
    product: 'SAV_FIXED',
    org_code: '100',
    balance: '1234567.891',
    mtd_avg: '1000000',
    open_date: '2023-05-01',
    maturity_date: '2025-05-01',
    rate: '2.75',
    amount: null,
    five_class: null,
    overdue_days: null,
    status: 'A',
    as_of: '2024-01-31',
    ...overrides,
    ref: overrides.ref ?? `ref-${overrides.system ?? 'sav'}-${overrides.account_no ?? '6222000011112222'}`,
  };
}

export type Answers = Record<string, { status: number; body?: unknown }>;

/** Stubs fetch with the signed-in user's permissions plus the given answers. */
export function stubApi(permissions: string[], answers: Answers) {
  const s = stubFetch({ 'GET /api/auth/me': { status: 200, body: makeMe({ permissions }) }, ...answers });
  vi.stubGlobal('fetch', s.fn);
  return s;
}

/** The JSON bodies posted to a path, oldest first. */
export async function postedBodies(seen: Request[], path: string): Promise<Record<string, unknown>[]> {
  const posts = seen.filter((r) => r.method === 'POST' && new URL(r.url).pathname === path);
  return Promise.all(posts.map(async (r) => (await r.clone().json()) as Record<string, unknown>));
}

export async function lastBody(seen: Request[], path: string): Promise<Record<string, unknown> | undefined> {
  const bodies = await postedBodies(seen, path);
  return bodies[bodies.length - 1];
}

/** The <input> inside an antd control that carries the test id (or the element itself). */
export function inputOf(testId: string): HTMLInputElement {
  const el = screen.getByTestId(testId);
  return (el instanceof HTMLInputElement ? el : el.querySelector('input')) as HTMLInputElement;
}

export function type(testId: string, value: string) {
  fireEvent.change(inputOf(testId), { target: { value } });
}

/** Types a date into an antd DatePicker and confirms it. */
export function typeDate(testId: string, value: string) {
  const input = inputOf(testId);
  fireEvent.mouseDown(input);
  fireEvent.focus(input);
  fireEvent.change(input, { target: { value } });
  fireEvent.keyDown(input, { key: 'Enter', code: 'Enter', keyCode: 13 });
  fireEvent.blur(input);
}

/** Picks an option of an antd Select by its title. */
export async function pick(testId: string, option: string) {
  const select = screen.getByTestId(testId);
  fireEvent.mouseDown(select.querySelector('.ant-select-selector') ?? select.querySelector('input') ?? select);
  const items = await screen.findAllByTitle(option);
  fireEvent.click(items[items.length - 1] as HTMLElement);
}
