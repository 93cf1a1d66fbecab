import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { renderWithApp, stubFetch } from '../../../test/render';
import { RunsPage } from './RunsPage';

const base = {
  message: null,
  failed_feed: null,
  actor_username: 'dataadmin',
  started_at: '2024-02-01T01:00:00Z',
  finished_at: '2024-02-01T01:00:10Z',
  seconds: 10,
  rows_received: 1234567,
  rows_accepted: 1234567,
  rows_rejected: 0,
  replaced: false,
};
const runs = {
  items: [
    { ...base, id: 3, business_date: '20240202', status: 'failed', message: '文件 acct_bal 缺少控制文件', failed_feed: 'acct_bal' },
    { ...base, id: 2, business_date: '20240201', status: 'published' },
  ],
  total: 2,
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('RunsPage', () => {
  it('lists runs with date, coloured status and counts, and opens a run', async () => {
    vi.stubGlobal('fetch', stubFetch({ 'GET /api/etl/runs': { status: 200, body: runs } }).fn);
    renderWithApp(<RunsPage />, { path: '/etl/runs', routes: { '/etl/runs/:id': <div data-testid="detail-route" /> } });

    const table = await screen.findByTestId('etl-runs-table');
    expect(await within(table).findByText('2024-02-02')).toBeInTheDocument();
    expect(screen.getByTestId('etl-run-status-3')).toHaveTextContent('失败');
    expect(screen.getByTestId('etl-run-status-3')).toHaveClass('ant-tag-error');
    expect(screen.getByTestId('etl-run-status-2')).toHaveClass('ant-tag-success');
    expect(within(table).getAllByText('1,234,567').length).toBeGreaterThan(0);
    expect(within(table).getByText('文件 acct_bal 缺少控制文件')).toBeInTheDocument();

    fireEvent.click(screen.getByTestId('etl-run-link-3'));
    expect(await screen.findByTestId('detail-route')).toBeInTheDocument();
  });
});
