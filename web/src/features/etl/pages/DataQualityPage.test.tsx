import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithApp, stubFetch, makeMe } from '../../../test/render';
import { DataQualityPage } from './DataQualityPage';

const me = (permissions: string[]) => makeMe({ permissions });

const issue = {
  id: 5,
  kind: 'id_name_conflict',
  business_date: '20240131',
  system: 'core',
  ref: 'C0001',
  id_type: '01',
  id_no: '11010*********1234',
  customer_id: 12,
  detail: { names: ['<b>张三</b>', '张叁'] },
  status: 'open',
  created_at: '2024-02-01T01:00:00Z',
  resolved_at: null,
  resolved_by: null,
  note: null,
};
const issues = { items: [issue], total: 1 };

const tree = [
  { id: 1, code: '000', name: '总行', level: 'head', status: 'active', parent_id: null, children: [
    { id: 2, code: '100', name: '城东支行', level: 'sub_branch', status: 'active', parent_id: 1, children: [] },
  ] },
];
const mappings = {
  items: [
    { system: 'core', src_code: 'X9', src_name: '城东网点', org_id: null, method: null, updated_at: '2024-02-01T01:00:00Z' },
    { system: 'card', src_code: '100', src_name: '城东', org_id: 2, method: 'same_code', updated_at: '2024-02-01T01:00:00Z' },
  ],
  total: 2,
};

afterEach(() => {
  vi.unstubAllGlobals();
});

function stub(permissions: string[], extra: Record<string, { status: number; body?: unknown }> = {}) {
  const s = stubFetch({
    'GET /api/auth/me': { status: 200, body: me(permissions) },
    'GET /api/etl/dq/issues': { status: 200, body: issues },
    'GET /api/etl/org-mappings': { status: 200, body: mappings },
    'GET /api/etl/org-mapping-rules': { status: 200, body: [] },
    'GET /api/orgs/tree': { status: 200, body: tree },
    ...extra,
  });
  vi.stubGlobal('fetch', s.fn);
  return s;
}

describe('DataQualityPage issues', () => {
  it('lists open issues with the kind label and the names as text', async () => {
    const { seen } = stub(['dq.view', 'dq.edit']);
    renderWithApp(<DataQualityPage />, { path: '/etl/quality' });
    const table = await screen.findByTestId('dq-issues-table');
    expect(await within(table).findByText('<b>张三</b>、张叁')).toBeInTheDocument();
    expect(table.querySelector('b')).toBeNull();
    expect(within(table).getByText('同一证件多个名称')).toBeInTheDocument();
    expect(within(table).getByText('2024-01-31')).toBeInTheDocument();
    expect(within(table).getByText('11010*********1234')).toBeInTheDocument();
    expect(screen.getByTestId('dq-status-5')).toHaveTextContent('待处理');
    const url = new URL(seen.find((r) => r.url.includes('/dq/issues'))?.url ?? '');
    expect(url.searchParams.get('status')).toBe('open');
  });

  it('offers no resolve or dismiss without dq.edit', async () => {
    stub(['dq.view']);
    renderWithApp(<DataQualityPage />, { path: '/etl/quality' });
    const table = await screen.findByTestId('dq-issues-table');
    await within(table).findByText('<b>张三</b>、张叁');
    expect(screen.queryByTestId('dq-resolve-5')).toBeNull();
    expect(screen.queryByTestId('dq-dismiss-5')).toBeNull();
  });

  it('requires a note of at least 2 characters before closing, then posts it', async () => {
    const { seen } = stub(['dq.view', 'dq.edit'], {
      'POST /api/etl/dq/issues/5/close': { status: 200, body: { ...issue, status: 'dismissed', note: '已核实为同一人' } },
    });
    renderWithApp(<DataQualityPage />, { path: '/etl/quality' });
    fireEvent.click(await screen.findByTestId('dq-dismiss-5'));
    const modal = await screen.findByTestId('dq-close-modal');

    fireEvent.click(screen.getByTestId('dq-close-submit'));
    expect(await within(modal).findByText('请填写处理说明')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('dq-note'), { target: { value: ' x ' } });
    fireEvent.click(screen.getByTestId('dq-close-submit'));
    expect(await within(modal).findByText('处理说明须为 2–500 个字符')).toBeInTheDocument();
    expect(seen.some((r) => r.method === 'POST')).toBe(false);

    fireEvent.change(screen.getByTestId('dq-note'), { target: { value: ' 已核实为同一人 ' } });
    fireEvent.click(screen.getByTestId('dq-close-submit'));
    await waitFor(() => expect(screen.queryByTestId('dq-close-modal')).toBeNull());
    const post = seen.find((r) => r.method === 'POST');
    expect(post?.headers.get('X-CSRF-Token')).toBe('csrf-1');
    expect(await post?.clone().json()).toEqual({ status: 'dismissed', note: '已核实为同一人' });
  });

  it('shows a refusal of the server inline', async () => {
    stub(['dq.view', 'dq.edit'], {
      'POST /api/etl/dq/issues/5/close': { status: 409, body: { code: 'already_closed', message: '问题已处理' } },
    });
    renderWithApp(<DataQualityPage />, { path: '/etl/quality' });
    fireEvent.click(await screen.findByTestId('dq-resolve-5'));
    await screen.findByTestId('dq-close-modal');
    fireEvent.change(screen.getByTestId('dq-note'), { target: { value: '已修正源数据' } });
    fireEvent.click(screen.getByTestId('dq-close-submit'));
    expect(await screen.findByTestId('dq-close-error')).toHaveTextContent('问题已处理');
  });
});

describe('DataQualityPage org mapping', () => {
  it('shows mapped orgs by name, unmapped in red, and maps one', async () => {
    const { seen } = stub(['dq.view', 'dq.edit'], {
      'PUT /api/etl/org-mappings/core/X9': { status: 200, body: { ...mappings.items[0], org_id: 2, method: 'manual' } },
    });
    renderWithApp(<DataQualityPage />, { path: '/etl/quality', initialEntry: '/etl/quality?tab=mappings' });
    const table = await screen.findByTestId('org-mappings-table');
    await waitFor(() => expect(screen.getByTestId('map-org-card-100')).toHaveTextContent('城东支行'));
    expect(screen.getByTestId('map-org-core-X9')).toHaveTextContent('未映射');
    expect(within(table).getByText('代码相同')).toBeInTheDocument();
    const url = new URL(seen.find((r) => r.url.includes('/org-mappings'))?.url ?? '');
    expect(url.searchParams.get('unmapped_only')).toBe('true');

    fireEvent.click(screen.getByTestId('map-core-X9'));
    await screen.findByTestId('map-modal');
    expect(screen.getByTestId('map-org')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('map-submit'));
    expect(await screen.findByText('请选择本行机构')).toBeInTheDocument();
    expect(seen.some((r) => r.method === 'PUT')).toBe(false);

    const select = screen.getByTestId('map-org');
    fireEvent.mouseDown(select.querySelector('.ant-select-selector') ?? select);
    fireEvent.click(await screen.findByTitle('城东支行 (100)'));
    fireEvent.click(screen.getByTestId('map-submit'));
    await waitFor(() => expect(screen.queryByTestId('map-modal')).toBeNull());
    const put = seen.find((r) => r.method === 'PUT');
    expect(put?.headers.get('X-CSRF-Token')).toBe('csrf-1');
    expect(await put?.clone().json()).toEqual({ org_id: 2 });
  });

  it('has no map button without dq.edit', async () => {
    stub(['dq.view']);
    renderWithApp(<DataQualityPage />, { path: '/etl/quality', initialEntry: '/etl/quality?tab=mappings' });
    await waitFor(() => expect(screen.getByTestId('map-org-card-100')).toHaveTextContent('城东支行'));
    expect(screen.queryByTestId('map-core-X9')).toBeNull();
  });
});
