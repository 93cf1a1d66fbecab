import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Result, Space, Spin, Typography } from 'antd';
import { ArrowLeftOutlined, FileSearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import type { EtlRunFile } from '../../../api/types';
import { DataTable } from '../../../components/DataTable';
import { formatDateTime } from '../../../lib/format';
import { useLabels } from '../../../lib/labels';
import { useCan } from '../../auth/api/me';
import { useRun } from '../api/getRun';
import { FeedChart } from '../components/FeedChart';
import { RejectsModal } from '../components/RejectsModal';
import { RunStatusTag } from '../components/RunStatusTag';
import { formatAmount, formatBusinessDate, formatCount, formatDuration, runSeconds } from '../utils/runs';

/** The run id of the address, or undefined when it is not a positive whole number. */
function parseId(raw: string | undefined): number | undefined {
  if (!raw || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

const count = (v: number) => formatCount(v);

export function RunDetailPage() {
  const { t } = useTranslation('etl');
  const { t: tc } = useTranslation();
  const can = useCan();
  const label = useLabels();
  const id = parseId(useParams().id);
  const run = useRun(id);
  const [rejectsOf, setRejectsOf] = useState<EtlRunFile | null>(null);
  const canRejects = can('etl.rejects');

  const back = (
    <Link to="/etl/runs" data-testid="etl-run-back">
      <ArrowLeftOutlined /> {t('back')}
    </Link>
  );

  if (id === undefined) return <Result status="404" title="404" subTitle={tc('notFound')} extra={back} />;
  if (run.isPending) {
    return (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin />
      </div>
    );
  }
  if (run.isError) return <Result status="warning" title={tc('loadFailed')} subTitle={run.error.message} extra={back} />;

  const r = run.data;
  const failed = r.status === 'failed';
  const fileColumns = [
    { title: t('files.feed'), dataIndex: 'feed', key: 'feed', width: 200, render: (v: string) => label('feed', v) },
    { title: t('files.file_name'), dataIndex: 'file_name', key: 'file_name' },
    { title: t('files.received'), dataIndex: 'received', key: 'received', align: 'right' as const, render: count },
    // A failed date published nothing: no "accepted" figure that would read as published.
    ...(failed
      ? []
      : [{ title: t('files.accepted'), dataIndex: 'accepted', key: 'accepted', align: 'right' as const, render: count }]),
    {
      title: t('files.rejected'),
      dataIndex: 'rejected',
      key: 'rejected',
      align: 'right' as const,
      render: (v: number) => (v > 0 ? <Typography.Text type="danger">{formatCount(v)}</Typography.Text> : formatCount(v)),
    },
    {
      title: t('files.amount_total'),
      dataIndex: 'amount_total',
      key: 'amount_total',
      align: 'right' as const,
      render: (v: string) => formatAmount(v),
    },
    {
      title: t('files.seconds'),
      dataIndex: 'seconds',
      key: 'seconds',
      align: 'right' as const,
      render: (v: number) => formatDuration(v),
    },
    ...(canRejects
      ? [
          {
            title: tc('actions'),
            key: 'actions',
            width: 150,
            render: (_: unknown, f: EtlRunFile) =>
              f.rejected > 0 ? (
                <Button
                  type="link"
                  size="small"
                  icon={<FileSearchOutlined />}
                  onClick={() => setRejectsOf(f)}
                  data-testid={`etl-rejects-${f.feed}`}
                >
                  {t('rejects.view')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="etl-run-detail">
      {back}
      {failed && (
        <Alert
          type="error"
          showIcon
          data-testid="etl-run-failed"
          title={t('failed.title', { feed: r.failed_feed ?? t('failed.noFeed') })}
          description={r.failure ?? r.message ?? undefined}
        />
      )}
      <Card size="small" title={t('detail.title', { id: r.id, date: formatBusinessDate(r.business_date) })}>
        <Descriptions size="small" bordered column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t('fields.id')}>{r.id}</Descriptions.Item>
          <Descriptions.Item label={t('fields.business_date')}>{formatBusinessDate(r.business_date)}</Descriptions.Item>
          <Descriptions.Item label={t('fields.status')}>
            <RunStatusTag status={r.status} testId={`etl-run-status-${r.id}`} />
          </Descriptions.Item>
          <Descriptions.Item label={t('fields.started_at')}>{formatDateTime(r.started_at)}</Descriptions.Item>
          <Descriptions.Item label={t('fields.finished_at')}>{formatDateTime(r.finished_at)}</Descriptions.Item>
          <Descriptions.Item label={t('fields.seconds')}>{formatDuration(runSeconds(r))}</Descriptions.Item>
          {failed ? (
            <Descriptions.Item label={t('fields.rows_accepted')}>
              <Typography.Text type="danger" data-testid="etl-run-nothing-published">
                {t('failed.nothingPublished')}
              </Typography.Text>
            </Descriptions.Item>
          ) : (
            (
              [
              ['rows_received', r.rows_received],
              ['rows_accepted', r.rows_accepted],
              ['rows_rejected', r.rows_rejected],
              ...(r.status === 'published'
                ? ([
                    ['customers_created', r.customers_created],
                    ['customers_updated', r.customers_updated],
                    ['links_created', r.links_created],
                    ['accounts_unmapped', r.accounts_unmapped],
                    ['links_review', r.links_review],
                  ] as const)
                : []),
              ] as (readonly [string, number])[]
            ).map(([key, value]) => (
              <Descriptions.Item key={key} label={t(`fields.${key}`)}>
                <span data-testid={`etl-run-${key}`}>{formatCount(value)}</span>
              </Descriptions.Item>
            ))
          )}
          <Descriptions.Item label={t('fields.actor')}>{label('actor', r.actor_username)}</Descriptions.Item>
          <Descriptions.Item label={t('fields.replaced')}>{r.replaced ? t('yes') : t('no')}</Descriptions.Item>
          {r.status !== 'failed' && r.message && (
            <Descriptions.Item label={t('fields.message')}>{r.message}</Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card size="small" title={t('files.title')}>
        <DataTable<EtlRunFile> testId="etl-files-table" rowKey="feed" rows={r.files} columns={fileColumns} />
      </Card>
      {r.files.length > 0 && !failed && (
        <Card size="small" title={t('files.chart')}>
          <FeedChart files={r.files} />
        </Card>
      )}
      {rejectsOf && (
        <RejectsModal runId={r.id} feed={rejectsOf.feed} fileName={rejectsOf.file_name} onClose={() => setRejectsOf(null)} />
      )}
    </Space>
  );
}
