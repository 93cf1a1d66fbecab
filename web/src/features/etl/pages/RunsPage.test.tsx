import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { meQueryKey } from '../../auth/api/me';
import { renderWithApp, stubFetch, makeMe } from '../../../test/render';
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
    // The failed date shows no accepted count (it published nothing); the published one does.
    expect(screen.getByTestId('etl-run-nothing-3')).toHaveTextContent('失败：未发布任何数据');
    expect(within(table).getAllByText('1,234,567')).toHaveLength(3); // received twice, accepted once

    fireEvent.click(screen.getByTestId('etl-run-link-3'));
    expect(await screen.findByTestId('detail-route')).toBeInTheDocument();
  });
});

const me = (permissions: string[]) => makeMe({ permissions });

describe('RunsPage start a load', () => {
  it('hides the button without etl.run', async () => {
    vi.stubGlobal(
      'fetch',
      stubFetch({
        'GET /api/auth/me': { status: 200, body: me(['etl.view']) },
        'GET /api/etl/runs': { status: 200, body: runs },
      }).fn,
    );
    renderWithApp(<RunsPage />, { path: '/etl/runs' });
    const table = await screen.findByTestId('etl-runs-table');
    await within(table).findByText('2024-02-02');
    expect(screen.queryByTestId('etl-start')).toBeNull();
  });

  it('posts the business date with the CSRF header and shows a refusal inline', async () => {
    const { fn, seen } = stubFetch({
      'GET /api/auth/me': { status: 200, body: me(['etl.view', 'etl.run']) },
      'GET /api/etl/runs': { status: 200, body: runs },
      'POST /api/etl/runs': { status: 400, body: { code: 'no_files', message: '收件目录中没有 20240131 的文件夹' } },
    });
    vi.stubGlobal('fetch', fn);
    const { queryClient } = renderWithApp(<RunsPage />, { path: '/etl/runs' });
    // The client sends the token it got from /api/auth/me.
    await waitFor(() => expect(queryClient.getQueryData(meQueryKey)).toBeTruthy());

    fireEvent.click(await screen.findByTestId('etl-start'));
    const modal = await screen.findByTestId('etl-start-modal');
    expect(modal).toHaveTextContent('收件目录');

    const input = within(modal).getByRole('textbox');
    fireEvent.mouseDown(input);
    fireEvent.change(input, { target: { value: '2024-01-31' } });
    fireEvent.keyDown(input, { key: 'Enter', code: 'Enter' });
    await waitFor(() => expect(modal).toHaveTextContent('20240131'));

    fireEvent.click(screen.getByTestId('etl-start-submit'));
    expect(await screen.findByTestId('etl-start-error')).toHaveTextContent('收件目录中没有 20240131 的文件夹');
    const post = seen.find((r) => r.method === 'POST');
    expect(post?.headers.get('X-CSRF-Token')).toBe('csrf-1');
    expect(await post?.clone().json()).toEqual({ business_date: '20240131' });
    // Refused: the modal stays open for another date.
    expect(screen.getByTestId('etl-start-modal')).toBeInTheDocument();
  });

  it('closes and asks for the list again when the server accepts (202)', async () => {
    const started = { ...base, id: 9, business_date: '20240203', status: 'running', finished_at: null, seconds: null };
    const { fn, seen } = stubFetch({
      'GET /api/auth/me': { status: 200, body: me(['etl.view', 'etl.run']) },
      'GET /api/etl/runs': { status: 200, body: runs },
      'POST /api/etl/runs': { status: 202, body: started },
    });
    vi.stubGlobal('fetch', fn);
    renderWithApp(<RunsPage />, { path: '/etl/runs' });
    fireEvent.click(await screen.findByTestId('etl-start'));
    await screen.findByTestId('etl-start-modal');
    const listsBefore = seen.filter((r) => r.method === 'GET' && r.url.includes('/api/etl/runs')).length;
    fireEvent.click(screen.getByTestId('etl-start-submit'));
    await waitFor(() => expect(screen.queryByTestId('etl-start-modal')).toBeNull());
    await waitFor(() =>
      expect(seen.filter((r) => r.method === 'GET' && r.url.includes('/api/etl/runs')).length).toBeGreaterThan(listsBefore),
    );
    expect(screen.queryByTestId('etl-start-error')).toBeNull();
  });
});
