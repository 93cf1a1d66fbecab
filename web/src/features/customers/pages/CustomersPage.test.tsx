import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { meQueryKey } from '../../auth/api/me';
import { makeMe, renderWithApp, stubFetch } from '../../../test/render';
import { CustomersPage } from './CustomersPage';

const page = {
  items: [
    {
      id: 5,
      customer_no: 'C0005',
      type: 'personal',
      name: '张三',
      id_type: '101',
      id_no: '320102********1234',
      phone: '138****0000',
      org_id: 2,
      org_name: '鼓楼支行',
      tier: 'hq_vip',
    },
    {
      id: 6,
      customer_no: 'C0006',
      type: 'corporate',
      name: '南京某某公司',
      id_type: '201',
      id_no: '91320************X',
      phone: null,
      org_id: 2,
      org_name: '鼓楼支行',
      tier: null,
    },
  ],
  total: 2,
};
const candidates = [
  { id: 11, username: 'gl_manager', display_name: '王经理', org_name: '鼓楼支行' },
  { id: 12, username: 'gl_manager2', display_name: '李经理', org_name: '鼓楼支行' },
];

afterEach(() => {
  vi.unstubAllGlobals();
});

function stub(permissions: string[], extra: Record<string, { status: number; body?: unknown }> = {}) {
  const s = stubFetch({
    'GET /api/auth/me': { status: 200, body: makeMe({ permissions }) },
    'POST /api/customers/search': { status: 200, body: page },
    'GET /api/customers/manager-candidates': { status: 200, body: candidates },
    'GET /api/orgs/tree': { status: 200, body: [] },
    ...extra,
  });
  vi.stubGlobal('fetch', s.fn);
  return s;
}

/** The <input> inside an antd control that carries the test id (or the element itself). */
function inputOf(testId: string): HTMLInputElement {
  const el = screen.getByTestId(testId);
  return (el instanceof HTMLInputElement ? el : el.querySelector('input')) as HTMLInputElement;
}

async function pick(testId: string, option: string) {
  const select = screen.getByTestId(testId);
  fireEvent.mouseDown(select.querySelector('.ant-select-selector') ?? select.querySelector('input') ?? select);
  const items = await screen.findAllByTitle(option);
  fireEvent.click(items[items.length - 1] as HTMLElement);
}

async function searchBodies(seen: Request[]) {
  const posts = seen.filter((r) => r.method === 'POST' && new URL(r.url).pathname === '/api/customers/search');
  return Promise.all(posts.map(async (r) => (await r.clone().json()) as Record<string, unknown>));
}

async function lastSearch(seen: Request[]) {
  const bodies = await searchBodies(seen);
  return bodies[bodies.length - 1];
}

function renderList() {
  return renderWithApp(<CustomersPage />, {
    path: '/customers',
    routes: { '/customers/:id': <div data-testid="at-360">360</div> },
  });
}

describe('CustomersPage', () => {
  it('shows tiers as tags and sends the search, filters and sort in the body', async () => {
    const { seen } = stub(['customer.view']);
    renderList();
    const table = await screen.findByTestId('customers-table');
    expect(await within(table).findByText('张三')).toBeInTheDocument();
    expect(within(table).getByTestId('customer-tier-5')).toHaveTextContent('总行级VIP');
    expect(within(table).getByTestId('customer-tier-6')).toHaveTextContent('-');
    await waitFor(async () =>
      expect(await lastSearch(seen)).toEqual({ q: '', mine: false, sort: 'customer_no', order: 'asc', page: 1, page_size: 20 }),
    );

    const q = inputOf('customer-search');
    fireEvent.change(q, { target: { value: ' 张三 ' } });
    fireEvent.keyDown(q, { key: 'Enter', code: 'Enter', keyCode: 13 });
    await waitFor(async () => expect((await lastSearch(seen))?.q).toBe('张三'));

    await pick('customer-filter-type', '对公');
    await waitFor(async () => expect((await lastSearch(seen))?.type).toBe('corporate'));
    await pick('customer-filter-tier', '省行级VIP');
    await waitFor(async () => expect((await lastSearch(seen))?.tier).toBe('province_vip'));

    fireEvent.click(within(table).getAllByText('客户名称')[0] as HTMLElement);
    await waitFor(async () => expect((await lastSearch(seen))?.sort).toBe('name'));
    expect(await lastSearch(seen)).toEqual({
      q: '张三',
      type: 'corporate',
      tier: 'province_vip',
      mine: false,
      sort: 'name',
      order: 'asc',
      page: 1,
      page_size: 20,
    });
    fireEvent.click(within(table).getAllByText('客户名称')[0] as HTMLElement);
    await waitFor(async () => expect((await lastSearch(seen))?.order).toBe('desc'));
    expect((await lastSearch(seen))?.sort).toBe('name');
  });

  it('sends mine: true when "my customers" is switched on (every user sees the switch)', async () => {
    const { seen } = stub(['customer.view']);
    renderList();
    await within(await screen.findByTestId('customers-table')).findByText('张三');
    fireEvent.click(screen.getByTestId('customer-filter-mine'));
    await waitFor(async () => expect((await lastSearch(seen))?.mine).toBe(true));
    expect(await lastSearch(seen)).toMatchObject({ mine: true, page: 1 });
  });

  it('opens the 360 page from the name link and from the row', async () => {
    stub(['customer.view']);
    renderList();
    fireEvent.click(await screen.findByTestId('customer-link-5'));
    expect(await screen.findByTestId('at-360')).toBeInTheDocument();
  });

  it('opens the 360 page on a row click but not when revealing a field', async () => {
    stub(['customer.view', 'customer.reveal']);
    renderList();
    const table = await screen.findByTestId('customers-table');
    fireEvent.click(await screen.findByTestId('reveal-id_no-5'));
    expect(await screen.findByTestId('reveal-purpose')).toBeInTheDocument();
    expect(screen.queryByTestId('at-360')).toBeNull();
    fireEvent.click(within(table).getByText('C0006'));
    expect(await screen.findByTestId('at-360')).toBeInTheDocument();
  });

  it('hides the transfer, manager filter and export without their permissions', async () => {
    stub(['customer.view']);
    const { queryClient } = renderList();
    await waitFor(() => expect(queryClient.getQueryData(meQueryKey)).toBeTruthy());
    await within(await screen.findByTestId('customers-table')).findByText('张三');
    expect(screen.queryByTestId('customer-transfer')).toBeNull();
    expect(screen.queryByTestId('customer-filter-manager')).toBeNull();
    expect(screen.queryByTestId('customer-filter-org')).toBeNull();
    expect(screen.queryByTestId('export-button')).toBeNull();
    expect(screen.queryByTestId('reveal-id_no-5')).toBeNull();
    expect(screen.getByTestId('customer-filter-mine')).toBeInTheDocument();
  });

  it('transfers a book: refuses the same manager twice, then posts from, to and start date', async () => {
    const { seen } = stub(['customer.view', 'customer.assign', 'data.export', 'org.view'], {
      'POST /api/customers/transfer-book': { status: 200, body: { customers: 42 } },
    });
    renderList();
    expect(await screen.findByTestId('export-button')).toBeInTheDocument();
    expect(screen.getByTestId('customer-filter-org')).toBeInTheDocument();
    fireEvent.click(await screen.findByTestId('customer-transfer'));
    const modal = await screen.findByTestId('transfer-modal');
    await waitFor(() => expect(seen.some((r) => r.url.includes('/manager-candidates'))).toBe(true));
    await pick('transfer-from', '王经理 (gl_manager) · 鼓楼支行');
    await pick('transfer-to', '王经理 (gl_manager) · 鼓楼支行');
    fireEvent.click(screen.getByTestId('transfer-submit'));
    expect(await within(modal).findByText('移出与接收不能是同一人')).toBeInTheDocument();
    expect(seen.some((r) => r.url.includes('/transfer-book'))).toBe(false);

    await pick('transfer-to', '李经理 (gl_manager2) · 鼓楼支行');
    fireEvent.click(screen.getByTestId('transfer-submit'));
    await waitFor(() => expect(screen.queryByTestId('transfer-modal')).toBeNull());
    const post = seen.find((r) => r.url.includes('/transfer-book'));
    const body = (await post?.clone().json()) as Record<string, unknown>;
    expect(body).toMatchObject({ from_user_id: 11, to_user_id: 12 });
    expect(body.start_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await screen.findByText('已移交 42 个客户')).toBeInTheDocument();
  });
});
