import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { changeLanguage } from '../../../i18n';
import { renderWithApp } from '../../../test/render';
import { PersonalQueryPage } from './PersonalQueryPage';
import { accountRow, inputOf, lastBody, postedBodies, stubApi, type, typeDate, type Answers } from './testing';

const QUERY = '/api/query/personal-accounts';
const rows = {
  items: [
    accountRow(),
    accountRow({
      system: 'pl',
      account_no: '9100000000000001',
      kind: 'loan',
      product: 'MORTGAGE',
      balance: '500000',
      five_class: '3',
      overdue_days: 12,
      amount: '800000',
    }),
  ],
  total: 2,
};
const masked = { items: [accountRow({ account_no: '6222********2222' })], total: 1 };

function stub(permissions: string[], extra: Answers = {}, page: unknown = rows) {
  return stubApi(['customer.view', ...permissions], { [`POST ${QUERY}`]: { status: 200, body: page }, ...extra });
}

function renderPage() {
  return renderWithApp(<PersonalQueryPage />, {
    path: '/query/personal',
    routes: { '/customers/:id': <div data-testid="at-360">360</div> },
  });
}

async function search() {
  fireEvent.click(await screen.findByTestId('query-submit'));
  const table = await screen.findByTestId('query-results');
  await within(table).findAllByText('C0005');
  return table;
}

beforeEach(async () => {
  await changeLanguage('zh-CN');
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('PersonalQueryPage', () => {
  it('sends nothing before "search", then the filled conditions as the body', async () => {
    const { seen } = stub(['customer.reveal']);
    renderPage();
    const form = await screen.findByTestId('query-personal-form');
    expect(screen.getByTestId('query-not-queried')).toBeInTheDocument();
    expect(await postedBodies(seen, QUERY)).toEqual([]);

    await screen.findByTestId('query-id_no'); // shown once the user's rights are known
    fireEvent.click(within(form).getByText('公积金'));
    type('query-name', ' 张三 ');
    type('query-id_no', '11010519491231002X');
    typeDate('query-open_from', '2023-01-01');
    type('query-balance_min', '1000');
    type('query-balance_max', '5000.5');
    fireEvent.click(within(form).getByText('次级'));
    fireEvent.click(within(form).getByText('损失'));
    fireEvent.click(screen.getByTestId('query-overdue_only'));
    await waitFor(() => expect(inputOf('query-open_from').value).toBe('2023-01-01'));

    await search();
    expect(await lastBody(seen, QUERY)).toEqual({
      systems: ['sav', 'card', 'pl'],
      name: '张三',
      id_no: '11010519491231002X',
      products: [],
      open_from: '2023-01-01',
      balance_min: 1000,
      balance_max: 5000.5,
      overdue_only: true,
      five_class: ['3', '5'],
      sort: 'balance',
      order: 'desc',
      page: 1,
      page_size: 20,
    });
  });

  it('shows labels, amounts with separators and links names to the customer', async () => {
    stub([]);
    renderPage();
    const table = await search();
    expect(within(table).getByText('1,234,567.89')).toBeInTheDocument();
    expect(within(table).getAllByText('1,000,000.00')).toHaveLength(2);
    expect(within(table).getByText('储蓄')).toBeInTheDocument();
    expect(within(table).getByText('500,000.00')).toBeInTheDocument();
    expect(within(table).getByText('个人贷款')).toBeInTheDocument();
    expect(within(table).getByText('次级')).toBeInTheDocument();
    fireEvent.click(within(table).getAllByText('张三')[0] as HTMLElement);
    expect(await screen.findByTestId('at-360')).toBeInTheDocument();
  });

  it('sends the clicked column as sort and order, back on page 1', async () => {
    const { seen } = stub([]);
    renderPage();
    const table = await search();
    const header = (text: string) => within(table).getAllByText(text)[0] as HTMLElement;
    fireEvent.click(header('开户日'));
    await waitFor(async () => expect(await lastBody(seen, QUERY)).toMatchObject({ sort: 'open_date', order: 'asc', page: 1 }));
    fireEvent.click(header('开户日'));
    await waitFor(async () => expect(await lastBody(seen, QUERY)).toMatchObject({ sort: 'open_date', order: 'desc' }));
    fireEvent.click(header('客户号'));
    await waitFor(async () => expect(await lastBody(seen, QUERY)).toMatchObject({ sort: 'customer_no', order: 'asc' }));
  });

  it('hides the ID and account number conditions without customer.reveal or customer.unmask', async () => {
    stub([]);
    renderPage();
    await screen.findByTestId('query-personal-form');
    await screen.findByTestId('query-name');
    expect(screen.queryByTestId('query-id_no')).toBeNull();
    expect(screen.queryByTestId('query-account_no')).toBeNull();
  });

  it('offers the ID and account number conditions with customer.unmask', async () => {
    stub(['customer.unmask']);
    renderPage();
    expect(await screen.findByTestId('query-id_no')).toBeInTheDocument();
    expect(screen.getByTestId('query-account_no')).toBeInTheDocument();
  });

  it('shows a clear message for malformed conditions (422)', async () => {
    stub([], {
      [`POST ${QUERY}`]: {
        status: 422,
        body: {
          code: 'validation_error',
          message: '请求参数不正确 / invalid request',
          details: [{ loc: ['body'], msg: 'Value error, open_from is after open_to', type: 'value_error' }],
        },
      },
    });
    renderPage();
    fireEvent.click(await screen.findByTestId('query-submit'));
    const alert = await screen.findByTestId('query-error');
    expect(alert).toHaveTextContent('查询条件不正确');
    expect(alert).toHaveTextContent('open_from is after open_to');
  });

  it('says so when the org is outside the scope (404)', async () => {
    stub([], { [`POST ${QUERY}`]: { status: 404, body: { code: 'not_found', message: '机构不存在 / org not found' } } });
    renderPage();
    fireEvent.click(await screen.findByTestId('query-submit'));
    expect(await screen.findByTestId('query-error')).toHaveTextContent('机构不存在或不在您的数据范围内');
  });
});

describe('PersonalQueryPage linking (CUS-2)', () => {
  const customers = {
    items: [{ id: 7, customer_no: 'C0007', type: 'personal', name: '张三丰', id_type: '101', id_no: '1', phone: null, org_id: 2, org_name: '鼓楼支行', tier: null }],
    total: 1,
  };

  it('hides selection and the link buttons without customer.link', async () => {
    stub(['customer.unmask']);
    renderPage();
    const table = await search();
    expect(screen.queryByTestId('query-attach')).toBeNull();
    expect(screen.queryByTestId('query-create-customer')).toBeNull();
    expect(within(table).queryAllByRole('checkbox')).toHaveLength(0);
  });

  it('lets a user who sees masked numbers link by reference', async () => {
    stub(['customer.link'], {}, masked);
    renderPage();
    const table = await search();
    expect(screen.getByTestId('query-attach')).toBeDisabled(); // nothing selected yet
    fireEvent.click(within(table).getAllByRole('checkbox')[1] as HTMLElement);
    expect(screen.getByTestId('query-attach')).toBeEnabled();
    expect(screen.getByTestId('query-create-customer')).toBeEnabled();
  });

  async function openAttach(extra: Answers) {
    const s = stub(['customer.link', 'customer.unmask'], { 'POST /api/customers/search': { status: 200, body: customers }, ...extra });
    renderPage();
    const table = await search();
    fireEvent.click(within(table).getAllByRole('checkbox')[1] as HTMLElement);
    expect(await screen.findByTestId('query-selected')).toHaveTextContent('已选 1 个账户');
    fireEvent.click(screen.getByTestId('query-attach'));
    const modal = await screen.findByTestId('attach-modal');
    const q = inputOf('attach-customer-search');
    fireEvent.change(q, { target: { value: ' 张三丰 ' } });
    fireEvent.keyDown(q, { key: 'Enter', code: 'Enter', keyCode: 13 });
    fireEvent.click(await screen.findByTestId('attach-customer-7'));
    return { ...s, modal };
  }

  it('attaches the selected accounts to the picked customer', async () => {
    const { seen } = await openAttach({ 'POST /api/customers/7/links': { status: 200, body: { accounts: 1 } } });
    expect(await lastBody(seen, '/api/customers/search')).toEqual({
      q: '张三丰',
      page: 1,
      page_size: 20,
      mine: false,
      sort: 'customer_no',
      order: 'asc',
    });
    fireEvent.click(screen.getByTestId('link-counts')); // watch only
    fireEvent.click(screen.getByTestId('attach-submit'));
    await waitFor(() => expect(screen.queryByTestId('attach-modal')).toBeNull());
    expect(await lastBody(seen, '/api/customers/7/links')).toEqual({
      accounts: [{ ref: 'ref-sav-6222000011112222' }],
      counts_for_assessment: false,
      move: false,
    });
    expect(await screen.findByText(/^已挂接 1 个账户/)).toBeInTheDocument();
  });

  it('shows the accounts linked elsewhere (409) and suggests "move", then sends move: true', async () => {
    const { seen, modal } = await openAttach({
      'POST /api/customers/7/links': {
        status: 409,
        body: {
          code: 'linked_elsewhere',
          message: '账户已挂在其他客户名下（可选择改挂）/ accounts already linked to another customer (choose to move them)',
          details: { accounts: ['sav:6222********2222'] },
        },
      },
    });
    fireEvent.click(screen.getByTestId('attach-submit'));
    const conflict = await within(modal).findByTestId('link-conflict');
    expect(conflict).toHaveTextContent('sav:6222********2222');
    expect(within(conflict).getByTestId('link-move-hint')).toHaveTextContent('勾选');
    expect(await lastBody(seen, '/api/customers/7/links')).toMatchObject({ move: false, counts_for_assessment: true });

    fireEvent.click(screen.getByTestId('link-move'));
    fireEvent.click(screen.getByTestId('attach-submit'));
    await waitFor(async () => expect(await postedBodies(seen, '/api/customers/7/links')).toHaveLength(2));
    expect(await lastBody(seen, '/api/customers/7/links')).toMatchObject({ move: true });
    expect(screen.getByTestId('attach-modal')).toBeInTheDocument();
  });

  it('requires a customer before attaching', async () => {
    const { seen } = stub(['customer.link', 'customer.unmask']);
    renderPage();
    const table = await search();
    fireEvent.click(within(table).getAllByRole('checkbox')[1] as HTMLElement);
    fireEvent.click(screen.getByTestId('query-attach'));
    await screen.findByTestId('attach-modal');
    fireEvent.click(screen.getByTestId('attach-submit'));
    expect(await screen.findByText('请选择目标客户')).toBeInTheDocument();
    expect(seen.some((r) => r.url.includes('/links'))).toBe(false);
  });

  it('creates a customer with the selected accounts and opens it', async () => {
    const created = { id: 77, name: '李四' };
    const { seen } = stub(['customer.link', 'customer.unmask'], { 'POST /api/customers': { status: 201, body: created } });
    renderPage();
    const table = await search();
    const boxes = within(table).getAllByRole('checkbox');
    fireEvent.click(boxes[1] as HTMLElement);
    fireEvent.click(boxes[2] as HTMLElement);
    fireEvent.click(screen.getByTestId('query-create-customer'));
    await screen.findByTestId('create-modal');
    // Without the org tree (no org.view) the org is a number, prefilled with the user's own org.
    expect(inputOf('create-org').value).toBe('1');
    type('create-name', ' 李四 ');
    type('create-id_type', '101');
    type('create-id_no', '11010519491231002X');
    type('create-phone', '13800000000');
    fireEvent.click(screen.getByTestId('create-submit'));
    expect(await screen.findByTestId('at-360')).toBeInTheDocument();
    expect(await lastBody(seen, '/api/customers')).toEqual({
      type: 'personal',
      org_id: 1,
      name: '李四',
      id_type: '101',
      id_no: '11010519491231002X',
      phone: '13800000000',
      accounts: [{ ref: 'ref-sav-6222000011112222' }, { ref: 'ref-pl-9100000000000001' }],
      counts_for_assessment: true,
      move: false,
    });
  });
});
