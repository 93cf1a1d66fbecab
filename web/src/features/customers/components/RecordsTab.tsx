import { useState } from 'react';
import { Button, Segmented, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { DataTable, usePaging } from '../../../components/DataTable';
import { formatDateTime } from '../../../lib/format';
import { useRecords } from '../api/customer360';
import type { CodeOptions } from '../api/codes';
import type { CustomerRecord, RecordKind } from '../api/types';
import { RECORD_KINDS, RecordModal } from './RecordModal';

const KIND_COLORS: Record<RecordKind, string> = { evaluation: 'blue', referral: 'purple', contact: 'cyan' };

/** Evaluations, referrals and contacts (paged, filtered by kind); adding needs `customer.record`. */
export function RecordsTab({ customerId, canRecord, channels }: { customerId: number; canRecord: boolean; channels: CodeOptions }) {
  const { t } = useTranslation('customers');
  const [kind, setKind] = useState<RecordKind | 'all'>('all');
  const [adding, setAdding] = useState(false);
  const { page, pageSize, reset, paging } = usePaging();
  const records = useRecords(customerId, kind === 'all' ? undefined : kind, page, pageSize);
  const columns = [
    { title: t('records.record_date'), dataIndex: 'record_date', key: 'record_date', width: 110 },
    {
      title: t('records.kind'),
      dataIndex: 'kind',
      key: 'kind',
      width: 90,
      render: (v: RecordKind) => <Tag color={KIND_COLORS[v]}>{t(`records.kinds.${v}`)}</Tag>,
    },
    { title: t('records.channel'), dataIndex: 'channel', key: 'channel', render: (v: string | null) => (v ? channels.label(v) : '') },
    {
      title: t('records.content'),
      dataIndex: 'content',
      key: 'content',
      render: (v: string) => <span style={{ whiteSpace: 'pre-wrap' }}>{v}</span>,
    },
    { title: t('records.outcome'), dataIndex: 'outcome', key: 'outcome' },
    { title: t('records.created_by'), dataIndex: 'created_by', key: 'created_by' },
    { title: t('records.created_at'), dataIndex: 'created_at', key: 'created_at', render: (v: string) => formatDateTime(v) },
  ];
  return (
    <>
      <DataTable<CustomerRecord>
        testId="records-table"
        rowKey="id"
        rows={records.data?.items}
        loading={records.isFetching}
        columns={columns}
        paging={paging(records.data?.total)}
        toolbar={
          <>
            <Segmented<RecordKind | 'all'>
              value={kind}
              onChange={(v) => {
                setKind(v);
                reset();
              }}
              options={[
                { value: 'all', label: t('records.all') },
                ...RECORD_KINDS.map((k) => ({ value: k, label: t(`records.kinds.${k}`) })),
              ]}
              data-testid="records-kind-filter"
            />
            {canRecord && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="record-add">
                {t('records.add')}
              </Button>
            )}
          </>
        }
      />
      {adding && (
        <RecordModal
          customerId={customerId}
          channels={channels}
          initialKind={kind === 'all' ? 'contact' : kind}
          onClose={() => setAdding(false)}
        />
      )}
    </>
  );
}
