import { useState } from 'react';
import { Button, Select, Space, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { DqIssue, DqStatus } from '../../../api/types';
import { DataTable, usePaging } from '../../../components/DataTable';
import { formatDateTime } from '../../../lib/format';
import { useCan } from '../../auth/api/me';
import { useDqIssues } from '../api/dq';
import { DQ_KINDS, DQ_STATUSES, canMerge, canRelink, detailCustomer, detailText, dqStatusColor, kindColor } from '../utils/dq';
import { formatBusinessDate } from '../utils/runs';
import { DqCloseModal, type DqCloseStatus } from './DqCloseModal';
import { MergeCustomersModal } from './MergeCustomersModal';
import { RelinkAccountModal } from './RelinkAccountModal';

/** Issues the loads raised, filtered by kind and status (open by default); ID numbers come masked. */
export function DqIssuesTab() {
  const { t } = useTranslation('etl');
  const can = useCan();
  const { page, pageSize, reset, paging } = usePaging();
  const [kind, setKind] = useState<string | undefined>();
  const [status, setStatus] = useState<DqStatus | undefined>('open');
  const issues = useDqIssues({ kind, status, page, page_size: pageSize });
  const [closing, setClosing] = useState<{ issue: DqIssue; status: DqCloseStatus } | null>(null);
  const [merging, setMerging] = useState<DqIssue | null>(null);
  const [relinking, setRelinking] = useState<DqIssue | null>(null);
  const canEdit = can('dq.edit');

  const columns = [
    {
      title: t('dq.fields.business_date'),
      dataIndex: 'business_date',
      key: 'business_date',
      width: 110,
      render: (v: string) => formatBusinessDate(v),
    },
    {
      title: t('dq.fields.kind'),
      dataIndex: 'kind',
      key: 'kind',
      width: 150,
      render: (v: string) => <Tag color={kindColor(v)}>{t(`dq.kinds.${v}`, { defaultValue: v })}</Tag>,
    },
    { title: t('dq.fields.system'), dataIndex: 'system', key: 'system', width: 90 },
    { title: t('dq.fields.ref'), dataIndex: 'ref', key: 'ref', width: 140 },
    { title: t('dq.fields.id_no'), dataIndex: 'id_no', key: 'id_no', width: 180 },
    {
      title: t('dq.fields.detail'),
      dataIndex: 'detail',
      key: 'detail',
      width: 260,
      // Plain text: names and source values are shown as received, never as HTML.
      render: (v: DqIssue['detail']) => {
        const linked = detailCustomer(v);
        if (linked) {
          return (
            <span>
              {t(`dq.detailCustomer.${linked.key}`)}{' '}
              <Link to={`/customers/${linked.id}`} data-testid={`dq-detail-customer-${linked.id}`}>
                {t('dq.detailCustomer.open', { id: linked.id })}
              </Link>
            </span>
          );
        }
        return <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{detailText(v)}</span>;
      },
    },
    {
      title: t('dq.fields.status'),
      dataIndex: 'status',
      key: 'status',
      width: 90,
      render: (v: DqStatus, r: DqIssue) => (
        <Tag color={dqStatusColor(v)} data-testid={`dq-status-${r.id}`}>
          {t(`dq.status.${v}`)}
        </Tag>
      ),
    },
    {
      title: t('dq.fields.resolved'),
      key: 'resolved',
      width: 170,
      render: (_: unknown, r: DqIssue) =>
        r.resolved_by || r.resolved_at ? (
          <>
            <div>{r.resolved_by ?? ''}</div>
            <Typography.Text type="secondary">{formatDateTime(r.resolved_at)}</Typography.Text>
          </>
        ) : (
          ''
        ),
    },
    { title: t('dq.fields.note'), dataIndex: 'note', key: 'note', width: 220, render: (v: string | null) => v ?? '' },
    ...(canEdit
      ? [
          {
            title: t('dq.fields.actions'),
            key: 'actions',
            width: 240,
            fixed: 'right' as const,
            render: (_: unknown, r: DqIssue) =>
              r.status === 'open' ? (
                <Space size={0} wrap>
                  {canMerge(r) && (
                    <Button type="link" size="small" onClick={() => setMerging(r)} data-testid={`dq-merge-${r.id}`}>
                      {t('dq.actions.merge')}
                    </Button>
                  )}
                  {canRelink(r) && (
                    <Button type="link" size="small" onClick={() => setRelinking(r)} data-testid={`dq-relink-${r.id}`}>
                      {t('dq.actions.relink')}
                    </Button>
                  )}
                  <Button
                    type="link"
                    size="small"
                    onClick={() => setClosing({ issue: r, status: 'resolved' })}
                    data-testid={`dq-resolve-${r.id}`}
                  >
                    {t('dq.actions.resolved')}
                  </Button>
                  <Button
                    type="link"
                    size="small"
                    onClick={() => setClosing({ issue: r, status: 'dismissed' })}
                    data-testid={`dq-dismiss-${r.id}`}
                  >
                    {t('dq.actions.dismissed')}
                  </Button>
                </Space>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <>
      <DataTable<DqIssue>
        testId="dq-issues-table"
        rowKey="id"
        rows={issues.data?.items}
        loading={issues.isFetching}
        columns={columns}
        paging={paging(issues.data?.total)}
        toolbar={
          <>
            <Select<string>
              allowClear
              placeholder={t('dq.filters.kind')}
              value={kind}
              onChange={(v) => {
                setKind(v ?? undefined);
                reset();
              }}
              options={DQ_KINDS.map((k) => ({ value: k, label: t(`dq.kinds.${k}`) }))}
              style={{ width: 200 }}
              data-testid="dq-filter-kind"
            />
            <Select<DqStatus>
              allowClear
              placeholder={t('dq.filters.allStatuses')}
              value={status}
              onChange={(v) => {
                setStatus(v ?? undefined);
                reset();
              }}
              options={DQ_STATUSES.map((s) => ({ value: s, label: t(`dq.status.${s}`) }))}
              style={{ width: 140 }}
              data-testid="dq-filter-status"
            />
            <Button icon={<ReloadOutlined />} onClick={() => void issues.refetch()} loading={issues.isRefetching} data-testid="dq-refresh">
              {t('refresh')}
            </Button>
          </>
        }
      />
      {closing && <DqCloseModal issue={closing.issue} status={closing.status} onClose={() => setClosing(null)} />}
      {merging && <MergeCustomersModal issue={merging} onClose={() => setMerging(null)} />}
      {relinking && <RelinkAccountModal issue={relinking} onClose={() => setRelinking(null)} />}
    </>
  );
}
