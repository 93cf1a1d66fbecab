import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { changeLanguage } from '../../../i18n';
import { renderWithApp } from '../../../test/render';
import { CorporateQueryPage } from './CorporateQueryPage';
import { accountRow, lastBody, pick, postedBodies, stubApi, type, typeDate } from './testing';

const QUERY = '/api/query/corporate';
const rows = {
  items: [
    accountRow({ system: 'corp', account_no: '3201000000001', customer_id: 9, customer_no: 'C0009', customer_name: '南京某某公司', product: 'CORP_DEMAND' }),
    accountRow({
      system: 'crd',
      account_no: '3201000000099',
      kind: 'loan',
      customer_id: 9,
      customer_no: 'C0009',
      customer_name: '南京某某公司',
      product: 'CORP_LOAN',
      five_class: '2',
      amount: '10000000',
    }),
  ],
  total: 2,
};

function stub(permissions: string[]) {
  return stubApi(['customer.view', ...permissions], { [`POST ${QUERY}`]: { status: 200, body: rows } });
}

function renderPage() {
  return renderWithApp(<CorporateQueryPage />, { path: '/query/corporate' });
}

beforeEach(async () => {
  await changeLanguage('zh-CN');
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('CorporateQueryPage', () => {
  it('sends the filled conditions as the body', async () => {
    const { seen } = stub(['customer.reveal']);
    renderPage();
    await screen.findByTestId('query-account_no');
    type('query-name', '某某公司');
    await pick('query-product', '对公贷款');
    type('query-account_no', '3201000000099');
    typeDate('query-open_to', '2024-01-31');
    fireEvent.click(screen.getByTestId('query-submit'));
    const table = await screen.findByTestId('query-results');
    await within(table).findAllByText('南京某某公司');
    expect(await lastBody(seen, QUERY)).toEqual({
      name: '某某公司',
      product: 'CORP_LOAN',
      account_no: '3201000000099',
      open_to: '2024-01-31',
      sort: 'balance',
      order: 'desc',
      page: 1,
      page_size: 20,
    });
    expect(within(table).getByText('对公存款')).toBeInTheDocument();
    expect(within(table).getByText('对公信贷')).toBeInTheDocument();
    expect(within(table).getByText('关注')).toBeInTheDocument();
    expect(within(table).getByText('10,000,000.00')).toBeInTheDocument();
  });

  it('refuses a start date after the end date without asking the server', async () => {
    const { seen } = stub([]);
    renderPage();
    await screen.findByTestId('query-name');
    typeDate('query-open_from', '2024-02-01');
    typeDate('query-open_to', '2024-01-01');
    fireEvent.click(screen.getByTestId('query-submit'));
    expect(await screen.findByText('起始日期不能晚于截止日期')).toBeInTheDocument();
    expect(await postedBodies(seen, QUERY)).toEqual([]);
  });

  it('sends sort and order of the clicked column', async () => {
    const { seen } = stub([]);
    renderPage();
    fireEvent.click(await screen.findByTestId('query-submit'));
    const table = await screen.findByTestId('query-results');
    await within(table).findAllByText('南京某某公司');
    fireEvent.click(within(table).getAllByText('月日均')[0] as HTMLElement);
    await waitFor(async () => expect(await lastBody(seen, QUERY)).toMatchObject({ sort: 'mtd_avg', order: 'asc', page: 1 }));
  });

  it('hides the account number condition without reveal, and the link buttons without customer.link', async () => {
    stub([]);
    renderPage();
    await screen.findByTestId('query-name');
    expect(screen.queryByTestId('query-account_no')).toBeNull();
    fireEvent.click(screen.getByTestId('query-submit'));
    const table = await screen.findByTestId('query-results');
    await within(table).findAllByText('南京某某公司');
    expect(screen.queryByTestId('query-attach')).toBeNull();
    expect(screen.queryByTestId('query-create-customer')).toBeNull();
  });

  it('offers the link buttons with customer.link, for a corporate customer by default', async () => {
    stub(['customer.link', 'customer.unmask']);
    renderPage();
    fireEvent.click(await screen.findByTestId('query-submit'));
    const table = await screen.findByTestId('query-results');
    await within(table).findAllByText('南京某某公司');
    expect(screen.getByTestId('query-attach')).toBeDisabled();
    fireEvent.click(within(table).getAllByRole('checkbox')[1] as HTMLElement);
    await waitFor(() => expect(screen.getByTestId('query-create-customer')).toBeEnabled());
    fireEvent.click(screen.getByTestId('query-create-customer'));
    const modal = await screen.findByTestId('create-modal');
    expect(within(modal).getByTestId('create-industry')).toBeInTheDocument();
    expect(within(modal).getByText('对公').closest('label')).toHaveClass('ant-radio-button-wrapper-checked');
  });
});
