import { Space, Typography } from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../components/DataTable';
import { formatDateTime } from '../../../lib/format';
import type { CustomerChange, TierChange } from '../api/types';
import { formatAmount, formatBusinessDate, type Money } from '../utils/customer';
import { TierTag } from './TierTag';

function Arrow({ from, to }: { from: React.ReactNode; to: React.ReactNode }) {
  return (
    <Space size={6}>
      {from}
      <ArrowRightOutlined style={{ color: '#999' }} />
      {to}
    </Space>
  );
}

const empty = <Typography.Text type="secondary">-</Typography.Text>;

/** Who changed which field when, old → new (sensitive values arrive masked). */
export function ChangesTable({ changes, label }: { changes: readonly CustomerChange[]; label?: (field: string, value: string | null) => string }) {
  const { t } = useTranslation('customers');
  const show = (field: string, v: string | null) => (v === null || v === '' ? empty : (label?.(field, v) ?? v));
  const columns = [
    { title: t('changes.changed_at'), dataIndex: 'changed_at', key: 'changed_at', width: 170, render: (v: string) => formatDateTime(v) },
    { title: t('changes.field'), dataIndex: 'field', key: 'field', render: (v: string) => t(`fields.${v}`, { defaultValue: v }) },
    {
      title: t('changes.change'),
      key: 'change',
      render: (_: unknown, c: CustomerChange) => <Arrow from={show(c.field, c.old_value)} to={show(c.field, c.new_value)} />,
    },
    { title: t('changes.changed_by'), dataIndex: 'changed_by', key: 'changed_by' },
  ];
  return (
    <DataTable<CustomerChange & { row_key: string }>
      testId="changes-table"
      rowKey="row_key"
      rows={changes.map((c, i) => ({ ...c, row_key: String(i) }))}
      columns={columns}
      locale={{ emptyText: t('changes.empty') }}
    />
  );
}

/** VIP tier assessments after each load, with the AUM they were based on. */
export function TierHistoryTable({ tiers }: { tiers: readonly TierChange[] }) {
  const { t, i18n } = useTranslation('customers');
  const tag = (v: string | null) => (v && v !== 'none' ? <TierTag tier={v} /> : <span>{t('tiers.none')}</span>);
  const columns = [
    { title: t('tierHistory.business_date'), dataIndex: 'business_date', key: 'business_date', render: (v: string) => formatBusinessDate(v) },
    {
      title: t('tierHistory.change'),
      key: 'change',
      render: (_: unknown, x: TierChange) => <Arrow from={tag(x.old_tier)} to={tag(x.new_tier)} />,
    },
    { title: t('tierHistory.basis'), dataIndex: 'basis', key: 'basis', align: 'right' as const, render: (v: Money) => formatAmount(v, i18n.language) },
    { title: t('tierHistory.changed_at'), dataIndex: 'changed_at', key: 'changed_at', render: (v: string) => formatDateTime(v) },
  ];
  return (
    <DataTable<TierChange & { row_key: string }>
      testId="tiers-table"
      rowKey="row_key"
      rows={tiers.map((x, i) => ({ ...x, row_key: String(i) }))}
      columns={columns}
    />
  );
}
