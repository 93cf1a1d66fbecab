import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { setCsrfToken } from '../api/client';
import { changeLanguage } from '../i18n';
import { makeMe, renderWithApp, stubFetch } from '../test/render';
import { filenameFromDisposition } from '../lib/download';
import { ExportButton } from './ExportButton';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function me(permissions: string[]) {
  return {
    status: 200,
    body: makeMe({ username: 'u', display_name: 'U', org_name: 'O', permissions }),
  };
}

/** stubFetch for JSON answers, plus an .xlsx answer for the export when `xlsx` is given. */
function stubExport(permissions: string[], exportAnswer?: { status: number; body: unknown } | 'xlsx') {
  const json = stubFetch({
    'GET /api/auth/me': me(permissions),
    ...(exportAnswer && exportAnswer !== 'xlsx' ? { 'POST /api/customers/export': exportAnswer } : {}),
  });
  const seen: Request[] = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = input instanceof Request ? input : new Request(input, init);
    seen.push(req.clone());
    if (exportAnswer === 'xlsx' && req.method === 'POST' && new URL(req.url).pathname === '/api/customers/export') {
      return new Response(new Blob([new Uint8Array([0x50, 0x4b, 3, 4])], { type: XLSX }), {
        status: 200,
        headers: {
          'Content-Type': XLSX,
          'Content-Disposition': `attachment; filename="customers.xlsx"; filename*=UTF-8''${encodeURIComponent('客户清单.xlsx')}`,
        },
      });
    }
    return json.fn(req);
  };
  vi.stubGlobal('fetch', fn);
  return seen;
}

const ui = <ExportButton path="/api/customers/export" filters={{ q: '张', mine: false, sort: 'customer_no', order: 'asc' }} viewPermission="customer.view" />;

async function openModal() {
  fireEvent.click(await screen.findByTestId('export-button'));
  return screen.findByTestId('export-purpose');
}

beforeEach(async () => {
  await changeLanguage('zh-CN');
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  setCsrfToken(null);
});

describe('ExportButton', () => {
  it.each([
    [[], false],
    [['customer.view'], false],
    [['data.export'], false],
    [['data.export', 'customer.view'], true],
  ])('with %j is shown: %s', async (perms, shown) => {
    stubExport(perms);
    const { queryClient } = renderWithApp(ui);
    await waitFor(() => expect(queryClient.getQueryState(['auth', 'me'])?.status).toBe('success'));
    if (shown) expect(await screen.findByTestId('export-button')).toBeInTheDocument();
    else expect(screen.queryByTestId('export-button')).not.toBeInTheDocument();
  });

  it('requires a purpose of 2 to 200 characters and sends nothing without one', async () => {
    const seen = stubExport(['data.export', 'customer.view'], 'xlsx');
    renderWithApp(ui);
    await openModal();
    expect(screen.getByTestId('export-modal')).toHaveTextContent('审计');
    fireEvent.click(screen.getByTestId('export-submit'));
    expect(await screen.findByText('请填写导出用途')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('export-purpose'), { target: { value: '   ' } });
    fireEvent.click(screen.getByTestId('export-submit'));
    expect(await screen.findByText('请填写导出用途')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('export-purpose'), { target: { value: ' a ' } });
    fireEvent.click(screen.getByTestId('export-submit'));
    expect(await screen.findByText('导出用途需为 2–200 个字符')).toBeInTheDocument();
    expect(seen.some((r) => r.method === 'POST')).toBe(false);
  });

  it('shows the server error inside the modal', async () => {
    stubExport(['data.export', 'customer.view'], {
      status: 400,
      body: { code: 'export_too_large', message: '导出结果超过系统上限 10000 行，请缩小筛选范围', details: { limit: 10000 } },
    });
    renderWithApp(ui);
    fireEvent.change(await openModal(), { target: { value: '季度回访' } });
    fireEvent.click(screen.getByTestId('export-submit'));
    expect(await screen.findByTestId('export-error')).toHaveTextContent('导出结果超过系统上限 10000 行，请缩小筛选范围');
    expect(screen.getByTestId('export-modal')).toBeInTheDocument();
  });

  it('posts filters, trimmed purpose, language and CSRF token, then saves the file', async () => {
    const seen = stubExport(['data.export', 'customer.view'], 'xlsx');
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:mock');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    let downloaded: string | null = null;
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloaded = this.download;
    });
    await changeLanguage('en-US');
    renderWithApp(ui);
    fireEvent.change(await openModal(), { target: { value: '  quarterly call-back  ' } });
    fireEvent.click(screen.getByTestId('export-submit'));
    await waitFor(() => expect(downloaded).toBe('客户清单.xlsx'));
    const post = seen.find((r) => r.method === 'POST');
    expect(post?.headers.get('X-CSRF-Token')).toBe('csrf-1');
    expect(post?.headers.get('Content-Type')).toContain('application/json');
    expect(await post?.json()).toEqual({ q: '张', mine: false, sort: 'customer_no', order: 'asc', purpose: 'quarterly call-back', lang: 'en-US' });
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryByTestId('export-purpose')).not.toBeInTheDocument());
  });
});

describe('filenameFromDisposition', () => {
  it.each([
    ['attachment; filename="users.xlsx"', 'users.xlsx'],
    ["attachment; filename=\"a.xlsx\"; filename*=UTF-8''%E5%AE%A1%E8%AE%A1.xlsx", '审计.xlsx'],
    ['attachment; filename=plain.xlsx', 'plain.xlsx'],
    ['attachment; filename="../../etc/x.xlsx"', '.._.._etc_x.xlsx'],
    ['attachment', null],
    [null, null],
  ])('%s', (header, name) => {
    expect(filenameFromDisposition(header)).toBe(name);
  });
});

describe('ExportButton with an empty result', () => {
  it.each([
    [0, true],
    [3, false],
  ])('with %i rows is disabled: %s', async (rows, disabled) => {
    const s = stubFetch({ 'GET /api/auth/me': { status: 200, body: makeMe({ permissions: ['customer.view', 'data.export'] }) } });
    vi.stubGlobal('fetch', s.fn);
    renderWithApp(
      <ExportButton path="/api/query/top-corporate/export" filters={{ n: 10, by: 'deposits' }} viewPermission="customer.view" rows={rows} />,
    );
    const button = await screen.findByTestId('export-button');
    if (disabled) expect(button).toBeDisabled();
    else expect(button).not.toBeDisabled();
  }, 20_000);
});
