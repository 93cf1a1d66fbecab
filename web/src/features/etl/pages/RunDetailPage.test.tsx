import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { meQueryKey } from '../../auth/api/me';
import { renderWithApp, stubFetch, makeMe } from '../../../test/render';
import { RunDetailPage } from './RunDetailPage';

// The chart (loaded lazily by components/Chart) needs a canvas, which jsdom lacks; its option is covered by feedBars in runs.test.ts.
vi.mock('../../../components/EChart', () => ({ EChart: () => null }));

const me = (permissions: string[]) => makeMe({ permissions });

const run = {
  id: 7,
  business_date: '20240131',
  status: 'failed',
  message: '控制文件行数不符',
  failed_feed: 'acct_bal',
  actor_username: 'dataadmin',
  started_at: '2024-02-01T01:00:00Z',
  finished_at: '2024-02-01T01:02:05Z',
  seconds: 125,
  rows_received: 1234567,
  rows_accepted: 1234560,
  rows_rejected: 7,
  replaced: false,
  customers_created: 0,
  customers_updated: 0,
  links_created: 0,
  accounts_unmapped: 0,
  links_review: 0,
  dq_issues: 0,
  failure: '失败：控制文件行数不符；未发布任何数据 / failed: control row count differs; nothing published',
  files: [
    { feed: 'cust_info', file_name: 'cust_info_20240131.dat', received: 1000, accepted: 993, rejected: 7, amount_total: '0', seconds: 1.5 },
    { feed: 'acct_bal', file_name: 'acct_bal_20240131.dat', received: 1233567, accepted: 1233567, rejected: 0, amount_total: '1234567.891', seconds: 80 },
  ],
};

// Without the unmask right the server sends no raw line, only the masked fields.
const maskedRejects = {
  items: [
    {
      file_name: 'cust_info_20240131.dat',
      line_no: 12,
      raw: null,
      truncated: true,
      fields: [
        { name: 'cust_name', value: '<b>x</b>' },
        { name: 'id_no', value: '11010*********1234' },
        { name: 'mobile', value: '138****0000' },
      ],
      reason: 'id_no: fails the check for its id_type; cust_type: unknown code',
    },
  ],
  total: 1,
};
const clearRejects = {
  items: [
    {
      file_name: 'cust_info_20240131.dat',
      line_no: 12,
      raw: '<b>x</b>|110101199001011234|13800000000',
      truncated: false,
      fields: [
        { name: 'cust_name', value: '<b>x</b>' },
        { name: 'id_no', value: '110101199001011234' },
        { name: 'mobile', value: '13800000000' },
      ],
      reason: 'duplicate key (first at line 3)',
    },
  ],
  total: 1,
};

const published = {
  ...run,
  id: 8,
  status: 'published',
  message: null,
  failed_feed: null,
  failure: null,
  customers_created: 1200,
  customers_updated: 35,
  links_created: 4321,
  accounts_unmapped: 17,
  links_review: 4,
};

afterEach(() => {
  vi.unstubAllGlobals();
});

function stub(permissions: string[], rejects: unknown = maskedRejects) {
  const s = stubFetch({
    'GET /api/auth/me': { status: 200, body: me(permissions) },
    'GET /api/etl/runs/7': { status: 200, body: run },
    'GET /api/etl/runs/7/rejects': { status: 200, body: rejects },
    'GET /api/etl/runs/8': { status: 200, body: published },
  });
  vi.stubGlobal('fetch', s.fn);
  return s;
}

describe('RunDetailPage', () => {
  it('shows the failure, the files and the rejects of a file as text', async () => {
    const { seen } = stub(['etl.view', 'etl.rejects']);
    renderWithApp(<RunDetailPage />, { path: '/etl/runs/:id', initialEntry: '/etl/runs/7' });

    const detail = await screen.findByTestId('etl-run-detail');
    expect(within(detail).getByTestId('etl-run-status-7')).toHaveTextContent('失败');
    expect(screen.getByTestId('etl-run-failed')).toHaveTextContent('acct_bal');
    expect(screen.getByTestId('etl-run-failed')).toHaveTextContent(
      '失败：控制文件行数不符；未发布任何数据 / failed: control row count differs; nothing published',
    );
    // Nothing reads as published: no accepted counts, the run's or its files'.
    expect(screen.getByTestId('etl-run-nothing-published')).toHaveTextContent('失败：未发布任何数据');
    expect(screen.queryByTestId('etl-run-rows_accepted')).toBeNull();
    expect(screen.queryByTestId('etl-run-customers_created')).toBeNull();
    const files = screen.getByTestId('etl-files-table');
    expect(files).not.toHaveTextContent('入库');
    expect(files).not.toHaveTextContent('1,234,560');
    expect(files).toHaveTextContent('1,233,567');
    expect(files).toHaveTextContent('1,234,567.89');

    expect(screen.queryByTestId('etl-rejects-acct_bal')).toBeNull();
    fireEvent.click(await screen.findByTestId('etl-rejects-cust_info'));
    const table = await screen.findByTestId('etl-rejects-table');
    const line = await within(table).findByTestId('etl-reject-12');
    expect(within(line).getByText('<b>x</b>')).toBeInTheDocument();
    expect(within(line).getByText('11010*********1234')).toBeInTheDocument();
    expect(within(line).getByText('138****0000')).toBeInTheDocument();
    expect(line).toHaveTextContent('id_no');
    expect(line).toHaveTextContent('行过长，已截断');
    expect(within(table).queryByTestId('etl-reject-raw-12')).toBeNull();
    expect(table.querySelector('b')).toBeNull();
    // The stored English reasons, in the reader's language (the stored text stays in the title).
    expect(table).toHaveTextContent('id_no：与证件类型不符（校验位或格式错误）；cust_type：代码不在码表中');
    expect(within(table).getByTitle('id_no: fails the check for its id_type; cust_type: unknown code')).toBeInTheDocument();
    const url = new URL(seen.find((r) => r.url.includes('/rejects'))?.url ?? '');
    expect(url.searchParams.get('feed')).toBe('cust_info');
  }, 20_000);

  it('shows the raw line too when the server sends it (unmask right)', async () => {
    stub(['etl.view', 'etl.rejects', 'customer.unmask'], clearRejects);
    renderWithApp(<RunDetailPage />, { path: '/etl/runs/:id', initialEntry: '/etl/runs/7' });
    fireEvent.click(await screen.findByTestId('etl-rejects-cust_info'));
    const raw = await screen.findByTestId('etl-reject-raw-12');
    expect(raw).toHaveTextContent('<b>x</b>|110101199001011234|13800000000');
    expect(screen.getByTestId('etl-reject-12')).not.toHaveTextContent('已截断');
    expect(screen.getByTestId('etl-rejects-table')).toHaveTextContent('主键重复（首次出现在第 3 行）');
  });

  it('shows what a published load did to customers, links and org codes', async () => {
    stub(['etl.view']);
    renderWithApp(<RunDetailPage />, { path: '/etl/runs/:id', initialEntry: '/etl/runs/8' });
    await screen.findByTestId('etl-run-detail');
    expect(screen.getByTestId('etl-run-rows_accepted')).toHaveTextContent('1,234,560');
    expect(screen.getByTestId('etl-run-customers_created')).toHaveTextContent('1,200');
    expect(screen.getByTestId('etl-run-customers_updated')).toHaveTextContent('35');
    expect(screen.getByTestId('etl-run-links_created')).toHaveTextContent('4,321');
    expect(screen.getByTestId('etl-run-accounts_unmapped')).toHaveTextContent('17');
    expect(screen.getByTestId('etl-run-links_review')).toHaveTextContent('4');
    expect(screen.getByTestId('etl-run-detail')).toHaveTextContent('机构代码未映射的账户');
    expect(screen.queryByTestId('etl-run-failed')).toBeNull();
  });

  it('offers no rejects without etl.rejects', async () => {
    stub(['etl.view']);
    const { queryClient } = renderWithApp(<RunDetailPage />, { path: '/etl/runs/:id', initialEntry: '/etl/runs/7' });
    expect(await screen.findByTestId('etl-files-table')).toHaveTextContent('cust_info_20240131.dat');
    await waitFor(() => expect(queryClient.getQueryData(meQueryKey)).toBeTruthy());
    expect(screen.queryByTestId('etl-rejects-cust_info')).toBeNull();
  });
});
