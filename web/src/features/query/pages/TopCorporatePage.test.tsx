import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { changeLanguage } from '../../../i18n';
import { renderWithApp } from '../../../test/render';
import { TopCorporatePage } from './TopCorporatePage';
import { lastBody, stubApi, type } from './testing';

// The chart (loaded lazily by components/Chart) needs a canvas, which jsdom lacks; its bars are covered by topBars in query.test.ts.
vi.mock('../../../components/EChart', () => ({ EChart: ({ testId }: { testId?: string }) => <div data-testid={testId} /> }));

const QUERY = '/api/query/top-corporate';
const top = [
  { rank: 1, customer_id: 9, customer_no: 'C0009', name: '南京某某公司', org_name: '鼓楼支行', deposits: '98765432.1', loans: '0', npl: '0' },
  { rank: 2, customer_id: 12, customer_no: 'C0012', name: '江苏某某集团', org_name: '城东支行', deposits: '5000000', loans: '30000000', npl: '1200000' },
];

beforeEach(async () => {
  await changeLanguage('zh-CN');
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('TopCorporatePage', () => {
  it('shows the default top 10 by deposits as a table and a chart', async () => {
    const { seen } = stubApi(['customer.view'], { [`POST ${QUERY}`]: { status: 200, body: top } });
    renderWithApp(<TopCorporatePage />, { path: '/query/top-corporate', routes: { '/customers/:id': <div data-testid="at-360" /> } });
    const table = await screen.findByTestId('top-results');
    expect(await within(table).findByText('南京某某公司')).toBeInTheDocument();
    expect(within(table).getByText('98,765,432.10')).toBeInTheDocument();
    expect(within(table).getByText('1,200,000.00')).toBeInTheDocument();
    expect(await screen.findByTestId('top-chart')).toBeInTheDocument();
    expect(await lastBody(seen, QUERY)).toEqual({ by: 'deposits', n: 10 });
    fireEvent.click(screen.getByTestId('top-customer-12'));
    expect(await screen.findByTestId('at-360')).toBeInTheDocument();
  });

  it('sends the chosen measure and count', async () => {
    const { seen } = stubApi(['customer.view'], { [`POST ${QUERY}`]: { status: 200, body: top } });
    renderWithApp(<TopCorporatePage />, { path: '/query/top-corporate' });
    await within(await screen.findByTestId('top-results')).findByText('南京某某公司');
    fireEvent.click(within(screen.getByTestId('top-by')).getByText('不良贷款余额'));
    type('top-n', '20');
    fireEvent.click(screen.getByTestId('top-submit'));
    await waitFor(async () => expect(await lastBody(seen, QUERY)).toEqual({ by: 'npl', n: 20 }));
  });

  it('says when no customer matches, and shows a refusal', async () => {
    stubApi(['customer.view'], { [`POST ${QUERY}`]: { status: 404, body: { code: 'not_found', message: '机构不存在 / org not found' } } });
    renderWithApp(<TopCorporatePage />, { path: '/query/top-corporate' });
    expect(await screen.findByTestId('query-error')).toHaveTextContent('机构不存在或不在您的数据范围内');
    expect(screen.getByTestId('top-empty')).toBeInTheDocument();
    expect(screen.queryByTestId('top-chart')).toBeNull();
  });
});
