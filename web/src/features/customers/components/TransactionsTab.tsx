import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { DataTable, usePaging } from '../../../components/DataTable';
import { useTransactions } from '../api/customer360';
import type { Transaction } from '../api/types';
import { formatTime } from '../../../lib/labels';
import { formatAmount, isKnownSystem, type Money } from '../utils/customer';

type Row = Transaction & { row_key: string };

/** Deposit and card transactions of the customer's accounts over the recent days, newest first. */
export function TransactionsTab({ customerId, channelLabel }: { customerId: number; channelLabel: (code: string) => string }) {
  const { t, i18n } = useTranslation('customers');
  const { page, pageSize, paging } = usePaging();
  const txns = useTransactions(customerId, page, pageSize);
  const columns = [
    { title: t('txn.date'), dataIndex: 'txn_date', key: 'txn_date' },
    { title: t('txn.time'), dataIndex: 'txn_time', key: 'txn_time', render: (v: string | null) => formatTime(v) },
    {
      title: t('txn.system'),
      dataIndex: 'system',
      key: 'system',
      render: (v: string) => (isKnownSystem(v) ? t(`systems.${v}`) : v),
    },
    { title: t('txn.account_no'), dataIndex: 'account_no', key: 'account_no' },
    {
      title: t('txn.dc'),
      dataIndex: 'dc',
      key: 'dc',
      render: (v: string) =>
        v === 'D' ? <Tag color="orange">{t('txn.debit')}</Tag> : v === 'C' ? <Tag color="green">{t('txn.credit')}</Tag> : v,
    },
    { title: t('txn.amount'), dataIndex: 'amount', key: 'amount', align: 'right' as const, render: (v: Money) => formatAmount(v, i18n.language) },
    {
      title: t('txn.balance_after'),
      dataIndex: 'balance_after',
      key: 'balance_after',
      align: 'right' as const,
      render: (v: Money) => formatAmount(v, i18n.language),
    },
    { title: t('txn.channel'), dataIndex: 'channel', key: 'channel', render: (v: string | null) => (v ? channelLabel(v) : '') },
    { title: t('txn.memo'), dataIndex: 'memo', key: 'memo' },
  ];
  return (
    <DataTable<Row>
      testId="transactions-table"
      rowKey="row_key"
      rows={txns.data?.items.map((x) => ({ ...x, row_key: `${x.system}:${x.txn_id}:${x.account_no}` }))}
      loading={txns.isFetching}
      columns={columns}
      paging={paging(txns.data?.total)}
    />
  );
}
