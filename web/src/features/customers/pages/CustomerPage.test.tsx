import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { meQueryKey } from '../../auth/api/me';
import { makeMe, renderWithApp, stubFetch } from '../../../test/render';
import { CustomerPage } from './CustomerPage';

// The charts (loaded lazily by components/Chart) need a canvas, which jsdom lacks; their series are covered by customer.test.ts.
vi.mock('../../../components/EChart', () => ({ EChart: ({ testId }: { testId?: string }) => <div data-testid={testId} /> }));

const account = {
  org_code: '320102',
  open_on_date: false,
  mtd_avg: null,
  qtd_avg: null,
  ytd_avg: null,
  currency: 'CNY',
  open_date: '2020-01-02',
  maturity_date: null,
  rate: null,
  term_months: null,
  amount: null,
  five_class: null,
  overdue_days: null,
  overdue_amount: null,
  overdraft_amount: null,
  status: 'normal',
  counts_for_assessment: true,
  product: null,
};

const profile = {
  id: 5,
  customer_no: 'C0005',
  type: 'personal',
  name: '张三',
  id_type: '101',
  id_no: '320102********1234',
  phone: '138****0000',
  address: '南京市鼓楼区****',
  email: null,
  industry: null,
  org_id: 2,
  org_name: '鼓楼支行',
  tier: 'hq_vip',
  source: 'sav',
  created_at: '2024-01-01T00:00:00Z',
  updated_at: '2024-02-01T00:00:00Z',
};

const overview = {
  profile,
  totals: {
    as_of: '2024-01-31',
    deposits: '1234567.891',
    wealth: '500000',
    aum: '1734567.891',
    loans: '300000',
    card_debt: '1200.5',
    liabilities: '301200.5',
    housing_fund: '88000',
    deposits_mtd_avg: '1200000',
    deposits_qtd_avg: '1100000',
    deposits_ytd_avg: '1000000',
    aum_mtd_avg: '1700000',
    aum_qtd_avg: '1600000',
    aum_ytd_avg: '1500000',
    accounts: 5,
  },
  accounts: [
    { ...account, system: 'sav', account_no: '6222********0001', kind: 'deposit', product: 'SAV_FIXED', balance: '1234567.891', mtd_avg: '1200000', rate: '2.75', term_months: 36, maturity_date: '2026-01-02' },
    { ...account, system: 'pl', account_no: 'PL****0002', kind: 'loan', product: 'MORTGAGE', balance: '300000', amount: '800000', five_class: '2', overdue_days: 15, overdue_amount: '3000', maturity_date: '2040-01-01' },
    { ...account, system: 'card', account_no: '6259********0003', kind: 'card_debt', product: 'CREDIT_CARD', balance: '1200.5', amount: '50000', overdraft_amount: '0' },
    { ...account, system: 'wm', account_no: 'WM****0004', kind: 'wealth', product: 'WEALTH', balance: '500000', rate: '3.1', maturity_date: '2024-06-30' },
    { ...account, system: 'hpf', account_no: 'HPF****0005', kind: 'housing_fund', product: 'HPF', balance: '88000', amount: '2400' },
  ],
  trend: [
    { business_date: '2024-01-30', deposits: '1200000', wealth: '500000', loans: '301000', card_debt: '1000', housing_fund: '85600' },
    { business_date: '2024-01-31', deposits: '1234567.891', wealth: '500000', loans: '300000', card_debt: '1200.5', housing_fund: '88000' },
  ],
  mix: [{ kind: 'deposit', product: 'SAV_FIXED', balance: '1234567.891' }],
  managers: [
    { id: 1, user_id: 11, username: 'gl_manager', display_name: '王经理', share: '60.00', start_date: '2024-01-01', end_date: null },
    { id: 2, user_id: 12, username: 'gl_manager2', display_name: '李经理', share: '40.00', start_date: '2024-01-01', end_date: null },
    { id: 3, user_id: 13, username: 'old_manager', display_name: '赵经理', share: '100.00', start_date: '2023-01-01', end_date: '2023-12-31' },
  ],
  records: [],
  changes: [{ field: 'phone', old_value: '139****1111', new_value: '138****0000', changed_at: '2024-02-01T00:00:00Z', changed_by: 'gl_manager' }],
  tiers: [{ business_date: '20240131', old_tier: 'province_vip', new_tier: 'hq_vip', basis: '1734567.891', changed_at: '2024-02-01T00:00:00Z' }],
};

const records = {
  items: [
    { id: 9, kind: 'referral', record_date: '2024-01-20', channel: 'COUNTER', content: '推荐理财产品', outcome: '有意向', created_at: '2024-01-20T03:00:00Z', created_by: 'gl_manager' },
  ],
  total: 1,
};
const candidates = [
  { id: 11, username: 'gl_manager', display_name: '王经理', org_name: '鼓楼支行' },
  { id: 12, username: 'gl_manager2', display_name: '李经理', org_name: '鼓楼支行' },
];
const ALL = ['customer.view', 'customer.reveal', 'customer.edit', 'customer.record', 'customer.assign'];

afterEach(() => {
  vi.unstubAllGlobals();
});

function stub(permissions: string[], extra: Record<string, { status: number; body?: unknown }> = {}) {
  const s = stubFetch({
    'GET /api/auth/me': { status: 200, body: makeMe({ permissions }) },
    'GET /api/customers/5/overview': { status: 200, body: overview },
    'GET /api/customers/5/records': { status: 200, body: records },
    'GET /api/customers/5/transactions': { status: 200, body: { items: [], total: 0 } },
    'GET /api/customers/manager-candidates': { status: 200, body: candidates },
    ...extra,
  });
  vi.stubGlobal('fetch', s.fn);
  return s;
}

function render360() {
  return renderWithApp(<CustomerPage />, { path: '/customers/:id', initialEntry: '/customers/5' });
}

function inputOf(testId: string): HTMLInputElement {
  const el = screen.getByTestId(testId);
  return (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el : el.querySelector('input, textarea')) as HTMLInputElement;
}

const requests = (seen: Request[], method: string, path: string) =>
  seen.filter((r) => r.method === method && new URL(r.url).pathname === path);

describe('CustomerPage (360)', () => {
  it('shows the profile, the KPIs, the charts and one account table per system with its details', async () => {
    stub(['customer.view']);
    render360();
    const root = await screen.findByTestId('customer-360');
    expect(within(root).getByTestId('customer-name')).toHaveTextContent('张三');
    expect(within(root).getByTestId('customer-no')).toHaveTextContent('C0005');
    expect(within(root).getByTestId('customer-tier')).toHaveTextContent('总行级VIP');
    const profileBox = screen.getByTestId('customer-profile');
    expect(profileBox).toHaveTextContent('320102********1234');
    expect(profileBox).toHaveTextContent('138****0000');
    expect(profileBox).toHaveTextContent('鼓楼支行');

    expect(screen.getByTestId('kpi-aum')).toHaveTextContent('1,734,567.89');
    expect(screen.getByTestId('kpi-deposits')).toHaveTextContent('1,234,567.89');
    expect(screen.getByTestId('kpi-card_debt')).toHaveTextContent('1,200.50');
    expect(screen.getByTestId('kpi-housing_fund')).toHaveTextContent('88,000.00');
    expect(screen.getByTestId('kpi-deposits-avg-mtd')).toHaveTextContent('1,200,000.00');
    expect(screen.getByTestId('kpi-aum-avg-ytd')).toHaveTextContent('1,500,000.00');
    expect(await screen.findByTestId('customer-trend-chart')).toBeInTheDocument();
    expect(await screen.findByTestId('customer-mix-chart')).toBeInTheDocument();

    for (const s of ['sav', 'pl', 'card', 'wm', 'hpf']) expect(screen.getByTestId(`accounts-${s}`)).toBeInTheDocument();
    expect(screen.queryByTestId('accounts-corp')).toBeNull();
    const sav = screen.getByTestId('accounts-sav');
    expect(sav).toHaveTextContent('6222********0001');
    expect(sav).toHaveTextContent('2.75%');
    expect(sav).toHaveTextContent('2026-01-02');
    expect(within(sav).getAllByText('月日均').length).toBeGreaterThan(0);
    const pl = screen.getByTestId('accounts-pl');
    expect(pl).toHaveTextContent('800,000.00');
    expect(pl).toHaveTextContent('关注');
    expect(pl).toHaveTextContent('3,000.00');
    expect(within(pl).getAllByText('五级分类').length).toBeGreaterThan(0);
    const card = screen.getByTestId('accounts-card');
    expect(within(card).getAllByText('信用额度').length).toBeGreaterThan(0);
    expect(card).toHaveTextContent('50,000.00');
    expect(within(screen.getByTestId('accounts-wm')).getAllByText('预期收益率').length).toBeGreaterThan(0);
    expect(within(screen.getByTestId('accounts-hpf')).getAllByText('月缴存额').length).toBeGreaterThan(0);
    expect(screen.getByTestId('accounts-hpf')).toHaveTextContent('2,400.00');
    expect(screen.getByTestId('accounts-card-sav')).toHaveTextContent('储蓄');
  });

  it('shows managers, change and tier history in their tabs', async () => {
    stub(['customer.view']);
    render360();
    await screen.findByTestId('customer-360');
    fireEvent.click(screen.getByTestId('customer-tab-managers'));
    expect(await screen.findByTestId('managers-current')).toHaveTextContent('王经理 (gl_manager)');
    expect(screen.getByTestId('managers-current')).toHaveTextContent('60%');
    expect(screen.getByTestId('managers-history')).toHaveTextContent('赵经理');
    expect(screen.getByTestId('managers-history')).toHaveTextContent('2023-12-31');
    fireEvent.click(screen.getByTestId('customer-tab-changes'));
    const changes = await screen.findByTestId('changes-table');
    expect(changes).toHaveTextContent('手机号');
    expect(changes).toHaveTextContent('139****1111');
    expect(changes).toHaveTextContent('gl_manager');
    fireEvent.click(screen.getByTestId('customer-tab-tiers'));
    const tiers = await screen.findByTestId('tiers-table');
    expect(tiers).toHaveTextContent('2024-01-31');
    expect(tiers).toHaveTextContent('省行级VIP');
    expect(tiers).toHaveTextContent('1,734,567.89');
  });

  it('reveals the address from the profile with a purpose', async () => {
    const { seen } = stub(ALL, {
      'POST /api/customers/5/reveal': { status: 200, body: { field: 'address', value: '南京市鼓楼区中山路1号' } },
    });
    render360();
    fireEvent.click(await screen.findByTestId('reveal-address-5'));
    fireEvent.change(await screen.findByTestId('reveal-purpose'), { target: { value: '上门拜访' } });
    fireEvent.click(screen.getByTestId('reveal-submit'));
    expect(await screen.findByTestId('reveal-value')).toHaveTextContent('南京市鼓楼区中山路1号');
    const post = requests(seen, 'POST', '/api/customers/5/reveal')[0];
    expect(await post?.clone().json()).toEqual({ field: 'address', purpose: '上门拜访' });
  });

  it('adds a contact record with the typed date, content and outcome', async () => {
    const { seen } = stub(ALL, {
      'POST /api/customers/5/records': {
        status: 201,
        body: { id: 10, kind: 'contact', record_date: '2024-02-01', channel: null, content: '电话回访', outcome: '满意', created_at: '2024-02-01T01:00:00Z', created_by: 'u' },
      },
    });
    render360();
    await screen.findByTestId('customer-360');
    fireEvent.click(screen.getByTestId('customer-tab-records'));
    expect(await within(await screen.findByTestId('records-table')).findByText('推荐理财产品')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('record-add'));
    const modal = await screen.findByTestId('record-modal');

    fireEvent.click(screen.getByTestId('record-submit'));
    expect(await within(modal).findByText('请填写内容')).toBeInTheDocument();
    fireEvent.change(inputOf('record-content'), { target: { value: 'x' } });
    fireEvent.click(screen.getByTestId('record-submit'));
    expect(await within(modal).findByText('内容需为 2–2000 个字符')).toBeInTheDocument();
    expect(requests(seen, 'POST', '/api/customers/5/records')).toHaveLength(0);

    fireEvent.click(screen.getByTestId('record-kind-referral'));
    fireEvent.click(screen.getByTestId('record-kind-contact'));
    fireEvent.change(inputOf('record-content'), { target: { value: ' 电话回访 ' } });
    fireEvent.change(inputOf('record-outcome'), { target: { value: '满意' } });
    const listsBefore = requests(seen, 'GET', '/api/customers/5/records').length;
    fireEvent.click(screen.getByTestId('record-submit'));
    await waitFor(() => expect(screen.queryByTestId('record-modal')).toBeNull());
    const post = requests(seen, 'POST', '/api/customers/5/records')[0];
    expect(post?.headers.get('X-CSRF-Token')).toBe('csrf-1');
    const body = (await post?.clone().json()) as Record<string, unknown>;
    expect(body).toEqual({ kind: 'contact', record_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), content: '电话回访', outcome: '满意' });
    await waitFor(() => expect(requests(seen, 'GET', '/api/customers/5/records').length).toBeGreaterThan(listsBefore));
  });

  it('sends only the edited phone and shows the server refusal on the phone field', async () => {
    const { seen } = stub(ALL, {
      'PATCH /api/customers/5': {
        status: 400,
        body: { code: 'invalid_phone', message: '电话号码格式不正确 / not a mobile or landline number', details: { field: 'phone' } },
      },
    });
    render360();
    fireEvent.click(await screen.findByTestId('customer-edit'));
    const modal = await screen.findByTestId('edit-modal');
    // The masked phone is not pre-filled (it would be sent back masked); the hint shows it.
    expect(inputOf('edit-phone').value).toBe('');
    expect(modal).toHaveTextContent('138****0000');
    expect(inputOf('edit-name').value).toBe('张三');

    fireEvent.click(screen.getByTestId('edit-submit'));
    expect(await screen.findByTestId('edit-error')).toHaveTextContent('没有任何修改');
    expect(requests(seen, 'PATCH', '/api/customers/5')).toHaveLength(0);

    fireEvent.change(inputOf('edit-phone'), { target: { value: '12345' } });
    fireEvent.click(screen.getByTestId('edit-submit'));
    expect(await within(modal).findByText('电话号码格式不正确 / not a mobile or landline number')).toBeInTheDocument();
    const patch = requests(seen, 'PATCH', '/api/customers/5')[0];
    expect(patch?.headers.get('X-CSRF-Token')).toBe('csrf-1');
    expect(await patch?.clone().json()).toEqual({ phone: '12345' });
    expect(screen.getByTestId('edit-modal')).toBeInTheDocument();
  });

  it('saves an edit and reads the overview again', async () => {
    const { seen } = stub(ALL, { 'PATCH /api/customers/5': { status: 200, body: { ...profile, phone: '139****2222' } } });
    render360();
    fireEvent.click(await screen.findByTestId('customer-edit'));
    await screen.findByTestId('edit-modal');
    fireEvent.change(inputOf('edit-phone'), { target: { value: '13900002222' } });
    const before = requests(seen, 'GET', '/api/customers/5/overview').length;
    fireEvent.click(screen.getByTestId('edit-submit'));
    await waitFor(() => expect(screen.queryByTestId('edit-modal')).toBeNull());
    await waitFor(() => expect(requests(seen, 'GET', '/api/customers/5/overview').length).toBeGreaterThan(before));
  });

  it('refuses manager shares that do not sum to 100 and sends them once they do', async () => {
    const { seen } = stub(ALL, { 'PUT /api/customers/5/managers': { status: 200, body: [] } });
    render360();
    await screen.findByTestId('customer-360');
    fireEvent.click(screen.getByTestId('customer-tab-managers'));
    fireEvent.click(await screen.findByTestId('managers-edit'));
    const modal = await screen.findByTestId('managers-modal');
    expect(screen.getByTestId('managers-total')).toHaveTextContent('100%');
    // The candidates offered are those who may manage this customer (its org line), asked for by its id.
    await waitFor(() => expect(requests(seen, 'GET', '/api/customers/manager-candidates').map((r) => new URL(r.url).search)).toContain('?customer_id=5'));

    fireEvent.change(inputOf('manager-share-1'), { target: { value: '30' } });
    await waitFor(() => expect(screen.getByTestId('managers-total')).toHaveTextContent('90%'));
    fireEvent.click(screen.getByTestId('managers-submit'));
    expect(await within(modal).findByText('份额合计须为 100%（当前 90%）')).toBeInTheDocument();
    expect(requests(seen, 'PUT', '/api/customers/5/managers')).toHaveLength(0);

    fireEvent.change(inputOf('manager-share-0'), { target: { value: '70' } });
    await waitFor(() => expect(screen.getByTestId('managers-total')).toHaveTextContent('100%'));
    fireEvent.click(screen.getByTestId('managers-submit'));
    await waitFor(() => expect(screen.queryByTestId('managers-modal')).toBeNull());
    const put = requests(seen, 'PUT', '/api/customers/5/managers')[0];
    const body = (await put?.clone().json()) as Record<string, unknown>;
    expect(body.managers).toEqual([
      { user_id: 11, share: 70 },
      { user_id: 12, share: 30 },
    ]);
    expect(body.start_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('hides edit, reveal, record and manager controls without their permissions', async () => {
    stub(['customer.view']);
    const { queryClient } = render360();
    await screen.findByTestId('customer-360');
    await waitFor(() => expect(queryClient.getQueryData(meQueryKey)).toBeTruthy());
    expect(screen.queryByTestId('customer-edit')).toBeNull();
    expect(screen.queryByTestId('reveal-id_no-5')).toBeNull();
    fireEvent.click(screen.getByTestId('customer-tab-records'));
    expect(await screen.findByTestId('records-table')).toBeInTheDocument();
    expect(screen.queryByTestId('record-add')).toBeNull();
    fireEvent.click(screen.getByTestId('customer-tab-managers'));
    expect(await screen.findByTestId('managers-current')).toBeInTheDocument();
    expect(screen.queryByTestId('managers-edit')).toBeNull();
  });

  it('shows code-table labels (ID type, product) to users who may read code tables', async () => {
    const item = (code: string, zh: string, en: string) => ({ code, label_zh: zh, label_en: en, sort: 0, active: true });
    const st = stub(['customer.view', 'code.view'], {
      'GET /api/system/code-tables/id_type/items': { status: 200, body: [item('101', '居民身份证', 'Resident ID')] },
      'GET /api/system/code-tables/industry/items': { status: 200, body: [] },
      'GET /api/system/code-tables/channel/items': { status: 200, body: [] },
      'GET /api/system/code-tables/product/items': { status: 200, body: [item('SAV_FIXED', '整存整取定期', 'Fixed-term deposit')] },
    });
    render360();
    await screen.findByTestId('customer-360');
    await waitFor(() => expect(st.seen.some((r) => r.url.includes('/code-tables/product/items'))).toBe(true));
    await waitFor(() => expect(screen.getByTestId('customer-profile')).toHaveTextContent('居民身份证'));
    await waitFor(() => expect(screen.getByTestId('accounts-sav')).toHaveTextContent('整存整取定期'));
  });

  it('says so when the customer is not found or outside the scope', async () => {
    stub(['customer.view'], { 'GET /api/customers/5/overview': { status: 404, body: { code: 'not_found', message: 'x' } } });
    render360();
    expect(await screen.findByText('客户不存在或不在您的管辖范围内。')).toBeInTheDocument();
  });
});
