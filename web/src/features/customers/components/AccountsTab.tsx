import { Card, Empty, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../components/DataTable';
import type { Holding } from '../api/types';
import { isAmountBand } from '../../../lib/format';
import { useLabels } from '../../../lib/labels';
import { anyBanded, fiveClassColor, fiveClassKey, formatAmount, formatRate, groupBySystem, isKnownSystem, type Money } from '../utils/customer';

/** Masked account numbers can coincide, so rows are keyed by position. */
type Row = Holding & { row_key: string };
type Col = ColumnsType<Row>[number];

/** Sums balances exactly (decimal strings, in cents); null when they came as bands (which do not add up). */
function balanceTotal(accounts: readonly Holding[]): string | null {
  if (anyBanded(accounts.map((a) => a.balance))) return null;
  let cents = 0n;
  for (const a of accounts) {
    const m = /^(-?)(\d*)(?:\.(\d{0,2}))?/.exec(isAmountBand(a.balance) ? '' : (a.balance ?? ''));
    if (!m || (!m[2] && !m[3])) continue;
    const v = BigInt(`${m[2] || '0'}${`${m[3] ?? ''}00`.slice(0, 2)}`);
    cents += m[1] === '-' ? -v : v;
  }
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  return `${neg ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

export function useAccountColumns(productLabel: (code: string) => string) {
  const { t, i18n } = useTranslation('customers');
  const label = useLabels();
  const amount = (key: keyof Holding, title: string): Col => ({
    title,
    dataIndex: key,
    key,
    align: 'right',
    render: (v: Money) => formatAmount(v, i18n.language),
  });
  const text = (key: keyof Holding, title: string): Col => ({ title, dataIndex: key, key });
  const c = {
    account: text('account_no', t('accounts.account_no')),
    card: text('account_no', t('accounts.card_no')),
    kind: { ...text('kind', t('accounts.kind')), render: (v: string) => t(`kinds.${v}`, { defaultValue: v }) } as Col,
    product: { ...text('product', t('accounts.product')), render: (v: string | null) => (v ? productLabel(v) : '') } as Col,
    currency: { ...text('currency', t('accounts.currency')), render: (v: string | null) => label('currency', v) } as Col,
    balance: amount('balance', t('accounts.balance')),
    mtd: amount('mtd_avg', t('accounts.mtd_avg')),
    qtd: amount('qtd_avg', t('accounts.qtd_avg')),
    ytd: amount('ytd_avg', t('accounts.ytd_avg')),
    open: text('open_date', t('accounts.open_date')),
    maturity: text('maturity_date', t('accounts.maturity_date')),
    rate: { ...text('rate', t('accounts.rate')), align: 'right', render: (v: string | null) => formatRate(v) } as Col,
    term: { ...text('term_months', t('accounts.term_months')), align: 'right' } as Col,
    loanAmount: amount('amount', t('accounts.loan_amount')),
    fiveClass: {
      ...text('five_class', t('accounts.five_class')),
      render: (v: string | null) => {
        if (!v) return '';
        const k = fiveClassKey(v);
        return <Tag color={fiveClassColor(v)}>{k ? t(`fiveClass.${k}`) : v}</Tag>;
      },
    } as Col,
    overdueDays: {
      ...text('overdue_days', t('accounts.overdue_days')),
      align: 'right',
      render: (v: number | null) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : (v ?? '')),
    } as Col,
    overdueAmount: {
      ...amount('overdue_amount', t('accounts.overdue_amount')),
      render: (v: Money) =>
        (isAmountBand(v) ? v.lo > 0 : !!v && Number(v) > 0) ? (
          <Typography.Text type="danger">{formatAmount(v, i18n.language)}</Typography.Text>
        ) : (
          formatAmount(v, i18n.language)
        ),
    } as Col,
    limit: amount('amount', t('accounts.credit_limit')),
    overdraft: amount('overdraft_amount', t('accounts.overdraft_amount')),
    holding: amount('balance', t('accounts.holding')),
    yield: { ...text('rate', t('accounts.expected_yield')), align: 'right', render: (v: string | null) => formatRate(v) } as Col,
    monthly: amount('amount', t('accounts.monthly_deposit')),
    amount: amount('amount', t('accounts.amount')),
    status: { ...text('status', t('accounts.status')), render: (v: string | null) => label('status', v) } as Col,
    assessed: {
      ...text('counts_for_assessment', t('accounts.assessed')),
      render: (v: boolean | null) => (v === null || v === undefined ? '' : v ? t('accounts.yes') : t('accounts.no')),
    } as Col,
  };

  return (system: string): ColumnsType<Row> => {
    switch (system) {
      case 'sav':
      case 'corp':
        return [c.account, c.product, c.currency, c.balance, c.mtd, c.qtd, c.ytd, c.open, c.maturity, c.rate, c.term, c.status, c.assessed];
      case 'crd':
      case 'pl':
        return [c.account, c.product, c.loanAmount, c.balance, c.fiveClass, c.overdueDays, c.overdueAmount, c.open, c.maturity, c.rate, c.term, c.status];
      case 'card':
        return [c.card, c.product, c.limit, c.balance, c.overdraft, c.overdueDays, c.overdueAmount, c.open, c.status];
      case 'wm':
        return [c.account, c.product, c.holding, c.amount, c.open, c.maturity, c.yield, c.status];
      case 'hpf':
        return [c.account, c.balance, c.monthly, c.mtd, c.ytd, c.open, c.status];
      default:
        return [c.account, c.kind, c.product, c.currency, c.balance, c.amount, c.open, c.maturity, c.status];
    }
  };
}

/** Every account of the customer: one table per source system, with the details that system has. */
export function AccountsTab({ accounts, productLabel }: { accounts: readonly Holding[]; productLabel: (code: string) => string }) {
  const { t } = useTranslation('customers');
  const columnsOf = useAccountColumns(productLabel);
  if (!accounts.length) return <Empty description={t('accounts.none')} data-testid="accounts-empty" />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {groupBySystem(accounts).map((g) => (
        <Card
          key={g.system}
          size="small"
          title={isKnownSystem(g.system) ? t(`systems.${g.system}`) : g.system}
          extra={
            <Typography.Text type="secondary" data-testid={`accounts-${g.system}-subtotal`}>
              {balanceTotal(g.accounts) === null
                ? t('accounts.count', { count: g.accounts.length })
                : t('accounts.subtotal', { count: g.accounts.length, amount: formatAmount(balanceTotal(g.accounts)) })}
            </Typography.Text>
          }
          data-testid={`accounts-card-${g.system}`}
        >
          <DataTable<Row>
            testId={`accounts-${g.system}`}
            rowKey="row_key"
            rows={g.accounts.map((a, i) => ({ ...a, row_key: String(i) }))}
            columns={columnsOf(g.system)}
          />
        </Card>
      ))}
    </Space>
  );
}
