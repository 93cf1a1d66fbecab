/**
 * The result table of an account query (QRY-1..QRY-3): server paging and sorting, amounts with thousands
 * separators and 2 decimals, system / class / status labels, customer names linking to the 360 page, and,
 * for holders of `customer.link`, row selection feeding the 建立客户 actions.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Card, Empty, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { DataTable, type ServerPaging, type SortState } from '../../../components/DataTable';
import { useLabels } from '../../../lib/labels';
import { useCan } from '../../auth/api/me';
import { useCodeOptions } from '../../customers/api/codes';
import { customerPath, formatAmount, formatRate, type Money } from '../../customers/utils/customer';
import type { AccountPage, AccountSort, SortOrder } from '../api/types';
import { columnSortOrder, fiveClassColor, isFiveClass, isKnownSystem, keyRows, type KeyedRow } from '../utils/query';
import { LinkActions } from './LinkActions';
import { QueryError } from './QueryError';

export type AccountColumn =
  | 'system'
  | 'account_no'
  | 'kind'
  | 'customer_no'
  | 'customer_name'
  | 'product'
  | 'org_code'
  | 'balance'
  | 'mtd_avg'
  | 'open_date'
  | 'maturity_date'
  | 'rate'
  | 'amount'
  | 'five_class'
  | 'overdue_days'
  | 'status'
  | 'as_of';

/** The columns of the personal and corporate account queries (every system's details). */
export const ACCOUNT_COLUMNS: readonly AccountColumn[] = [
  'system',
  'account_no',
  'customer_no',
  'customer_name',
  'product',
  'balance',
  'mtd_avg',
  'open_date',
  'maturity_date',
  'rate',
  'amount',
  'five_class',
  'overdue_days',
  'status',
  'org_code',
  'as_of',
];

type Col = ColumnsType<KeyedRow>[number];

export interface AccountResultsProps {
  /** Whether conditions were submitted (before that the card shows a hint). */
  queried: boolean;
  data: AccountPage | undefined;
  loading: boolean;
  error: unknown;
  columns: readonly AccountColumn[];
  sorting: { sort: AccountSort; order: SortOrder };
  onSortChange: (s: SortState) => void;
  paging: ServerPaging;
  /** Offers row selection and the link actions (QRY-1, QRY-3) to holders of `customer.link`. */
  linkAs?: 'personal' | 'corporate';
  /** The export button (and any other control) above the table. */
  extra?: ReactNode;
}

export function AccountResults({
  queried,
  data,
  loading,
  error,
  columns,
  sorting,
  onSortChange,
  paging,
  linkAs,
  extra,
}: AccountResultsProps) {
  const { t, i18n } = useTranslation('query');
  const can = useCan();
  const label = useLabels();
  const products = useCodeOptions('product');
  const selectable = !!linkAs && can('customer.link');
  const [selectedKeys, setSelectedKeys] = useState<string[]>([]);
  const rows = keyRows(data?.items);
  // A new page, sort or search is a new list: what was selected on the old one no longer applies.
  useEffect(() => {
    setSelectedKeys([]);
  }, [data]);
  const selected = rows.filter((r) => selectedKeys.includes(r.row_key));

  const sortable = (key: AccountSort): Partial<Col> => ({ sorter: true, sortOrder: columnSortOrder(sorting, key) });
  const amount = (key: 'balance' | 'mtd_avg' | 'amount'): Col => ({
    title: t(`columns.${key}`),
    dataIndex: key,
    key,
    align: 'right',
    render: (v: Money) => formatAmount(v, i18n.language),
    ...(key === 'amount' ? {} : sortable(key)),
  });
  const defs: Record<AccountColumn, Col> = {
    system: {
      title: t('columns.system'),
      dataIndex: 'system',
      key: 'system',
      render: (v: string) => (isKnownSystem(v) ? t(`systems.${v}`) : v),
    },
    account_no: { title: t('columns.account_no'), dataIndex: 'account_no', key: 'account_no', ...sortable('account_no') },
    kind: { title: t('columns.kind'), dataIndex: 'kind', key: 'kind', render: (v: string) => t(`kinds.${v}`, { defaultValue: v }) },
    customer_no: { title: t('columns.customer_no'), dataIndex: 'customer_no', key: 'customer_no', ...sortable('customer_no') },
    customer_name: {
      title: t('columns.customer_name'),
      dataIndex: 'customer_name',
      key: 'customer_name',
      render: (v: string | null, r: KeyedRow) =>
        r.customer_id !== null ? (
          <Link to={customerPath(r.customer_id)} data-testid={`query-customer-${r.row_key}`}>
            {v ?? r.customer_no ?? r.customer_id}
          </Link>
        ) : (
          (v ?? '')
        ),
    },
    product: {
      title: t('columns.product'),
      dataIndex: 'product',
      key: 'product',
      render: (v: string | null) => (v ? products.label(v) : ''),
    },
    org_code: { title: t('columns.org_code'), dataIndex: 'org_code', key: 'org_code' },
    balance: amount('balance'),
    mtd_avg: amount('mtd_avg'),
    open_date: { title: t('columns.open_date'), dataIndex: 'open_date', key: 'open_date', ...sortable('open_date') },
    maturity_date: { title: t('columns.maturity_date'), dataIndex: 'maturity_date', key: 'maturity_date', ...sortable('maturity_date') },
    rate: { title: t('columns.rate'), dataIndex: 'rate', key: 'rate', align: 'right', render: (v: string | null) => formatRate(v) },
    amount: amount('amount'),
    five_class: {
      title: t('columns.five_class'),
      dataIndex: 'five_class',
      key: 'five_class',
      render: (v: string | null) =>
        v ? <Tag color={fiveClassColor(v)}>{isFiveClass(v) ? t(`fiveClass.${v.trim()}`) : v}</Tag> : '',
    },
    overdue_days: {
      title: t('columns.overdue_days'),
      dataIndex: 'overdue_days',
      key: 'overdue_days',
      align: 'right',
      render: (v: number | null) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : (v ?? '')),
    },
    status: {
      title: t('columns.status'),
      dataIndex: 'status',
      key: 'status',
      render: (v: string | null) => label('status', v),
    },
    as_of: { title: t('columns.as_of'), dataIndex: 'as_of', key: 'as_of' },
  };

  return (
    <Card title={t('results')} size="small">
      {error ? <QueryError error={error} /> : null}
      {!queried ? (
        <Empty description={t('notQueried')} data-testid="query-not-queried" />
      ) : (
        <DataTable<KeyedRow>
          testId="query-results"
          rowKey="row_key"
          rows={rows}
          loading={loading}
          columns={columns.map((c) => defs[c])}
          paging={paging}
          onSortChange={onSortChange}
          rowSelection={
            selectable
              ? {
                  selectedRowKeys: selectedKeys,
                  onChange: (keys) => setSelectedKeys(keys.map(String)),
                  preserveSelectedRowKeys: false,
                }
              : undefined
          }
          toolbar={
            <>
              {extra}
              {selectable && linkAs && (
                <LinkActions selected={selected} customerType={linkAs} onLinked={() => setSelectedKeys([])} />
              )}
            </>
          }
        />
      )}
    </Card>
  );
}
