import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { changeLanguage } from '../../../i18n';
import { renderWithApp } from '../../../test/render';
import { PassbookQueryPage } from './PassbookQueryPage';
import { accountRow, lastBody, stubApi, type, typeDate } from './testing';

const QUERY = '/api/query/passbooks';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const rows = { items: [accountRow({ product: 'SAV_YZT', balance: '88000.5' })], total: 41 };

beforeEach(async () => {
  await changeLanguage('zh-CN');
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('PassbookQueryPage', () => {
  it('sends the filled conditions, then the next page', async () => {
    const { seen } = stubApi(['customer.view'], { [`POST ${QUERY}`]: { status: 200, body: rows } });
    renderWithApp(<PassbookQueryPage />, { path: '/query/passbooks' });
    await screen.findByTestId('query-passbook-form');
    typeDate('query-open_from', '2023-01-01');
    typeDate('query-open_to', '2023-12-31');
    type('query-balance_min', '50000');
    fireEvent.click(screen.getByTestId('query-submit'));
    const table = await screen.findByTestId('query-results');
    expect(await within(table).findByText('88,000.50')).toBeInTheDocument();
    expect(await lastBody(seen, QUERY)).toEqual({
      open_from: '2023-01-01',
      open_to: '2023-12-31',
      balance_min: 50000,
      sort: 'balance',
      order: 'desc',
      page: 1,
      page_size: 20,
    });
    fireEvent.click(screen.getByTitle('2'));
    await waitFor(async () => expect(await lastBody(seen, QUERY)).toMatchObject({ page: 2, page_size: 20 }));
  });

  it('exports the applied conditions with the purpose and language', async () => {
    const json = stubApi(['customer.view', 'data.export'], { [`POST ${QUERY}`]: { status: 200, body: rows } });
    const seen: Request[] = [];
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(input, init);
      seen.push(req.clone());
      if (new URL(req.url).pathname === `${QUERY}/export`) {
        return new Response(new Blob([new Uint8Array([0x50, 0x4b, 3, 4])], { type: XLSX }), {
          status: 200,
          headers: { 'Content-Type': XLSX, 'Content-Disposition': 'attachment; filename="passbooks.xlsx"' },
        });
      }
      return json.fn(req);
    });
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:mock');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    let downloaded: string | null = null;
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloaded = this.download;
    });
    renderWithApp(<PassbookQueryPage />, { path: '/query/passbooks' });
    await screen.findByTestId('query-passbook-form');
    // Nothing to export before a search.
    expect(screen.queryByTestId('export-button')).toBeNull();
    type('query-balance_max', '100000');
    fireEvent.click(screen.getByTestId('query-submit'));
    fireEvent.click(await screen.findByTestId('export-button'));
    fireEvent.change(await screen.findByTestId('export-purpose'), { target: { value: ' 到期提醒 ' } });
    fireEvent.click(screen.getByTestId('export-submit'));
    await waitFor(() => expect(downloaded).toBe('passbooks.xlsx'));
    expect(await lastBody(seen, `${QUERY}/export`)).toEqual({
      balance_max: 100000,
      sort: 'balance',
      order: 'desc',
      purpose: '到期提醒',
      lang: 'zh-CN',
    });
  });
});
