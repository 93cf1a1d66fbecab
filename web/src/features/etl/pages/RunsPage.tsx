import { useState } from 'react';
import { Button, Tooltip, Typography } from 'antd';
import { PlayCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { EtlRun, EtlRunStatus } from '../../../api/types';
import { DataTable, usePaging } from '../../../components/DataTable';
import { formatDateTime } from '../../../lib/format';
import { useLabels } from '../../../lib/labels';
import { useCan } from '../../auth/api/me';
import { useRuns } from '../api/listRuns';
import { RunStatusTag } from '../components/RunStatusTag';
import { StartLoadModal } from '../components/StartLoadModal';
import { anyRunning, formatBusinessDate, formatCount, formatDuration, runPath, runSeconds } from '../utils/runs';

const count = (v: number) => formatCount(v);

export function RunsPage() {
  const { t } = useTranslation('etl');
  const navigate = useNavigate();
  const { page, pageSize, paging } = usePaging();
  const runs = useRuns({ page, page_size: pageSize });
  const running = anyRunning(runs.data?.items);
  const can = useCan();
  const label = useLabels();
  const [starting, setStarting] = useState(false);

  const columns = [
    {
      title: t('fields.id'),
      dataIndex: 'id',
      key: 'id',
      width: 80,
      render: (id: number) => (
        <Link to={runPath(id)} onClick={(e) => e.stopPropagation()} data-testid={`etl-run-link-${id}`}>
          {id}
        </Link>
      ),
    },
    {
      title: t('fields.business_date'),
      dataIndex: 'business_date',
      key: 'business_date',
      width: 120,
      render: (v: string) => formatBusinessDate(v),
    },
    {
      title: t('fields.status'),
      dataIndex: 'status',
      key: 'status',
      width: 110,
      render: (v: EtlRunStatus, r: EtlRun) => <RunStatusTag status={v} testId={`etl-run-status-${r.id}`} />,
    },
    { title: t('fields.rows_received'), dataIndex: 'rows_received', key: 'rows_received', align: 'right' as const, render: count },
    {
      title: t('fields.rows_accepted'),
      dataIndex: 'rows_accepted',
      key: 'rows_accepted',
      align: 'right' as const,
      // A failed date published nothing: never an "accepted" figure that reads as published.
      render: (v: number, r: EtlRun) =>
        r.status === 'failed' ? (
          <Typography.Text type="danger" data-testid={`etl-run-nothing-${r.id}`}>
            {t('failed.nothingPublished')}
          </Typography.Text>
        ) : (
          formatCount(v)
        ),
    },
    {
      title: t('fields.rows_rejected'),
      dataIndex: 'rows_rejected',
      key: 'rows_rejected',
      align: 'right' as const,
      render: (v: number) => (v > 0 ? <Typography.Text type="danger">{formatCount(v)}</Typography.Text> : formatCount(v)),
    },
    {
      title: t('fields.seconds'),
      key: 'seconds',
      align: 'right' as const,
      width: 110,
      render: (_: unknown, r: EtlRun) => formatDuration(runSeconds(r)),
    },
    {
      title: t('fields.started_at'),
      dataIndex: 'started_at',
      key: 'started_at',
      width: 170,
      render: (v: string) => formatDateTime(v),
    },
    { title: t('fields.actor'), dataIndex: 'actor_username', key: 'actor', width: 120, render: (v: string | null) => label('actor', v) },
    {
      title: t('fields.message'),
      dataIndex: 'message',
      key: 'message',
      width: 280,
      ellipsis: { showTitle: false },
      render: (v: string | null) =>
        v ? (
          <Tooltip placement="topLeft" title={v}>
            <span>{v}</span>
          </Tooltip>
        ) : (
          ''
        ),
    },
  ];

  return (
    <>
      <DataTable<EtlRun>
        testId="etl-runs-table"
        rowKey="id"
        rows={runs.data?.items}
        // Only a first load or a page change shows the spinner; the 5 s refresh while a run runs is silent.
        loading={runs.isPending || (runs.isFetching && runs.isPlaceholderData)}
        columns={columns}
        paging={paging(runs.data?.total)}
        onRow={(r) => ({ onClick: () => navigate(runPath(r.id)), style: { cursor: 'pointer' } })}
        toolbar={
          <>
            {can('etl.run') && (
              <Button type="primary" icon={<PlayCircleOutlined />} onClick={() => setStarting(true)} data-testid="etl-start">
                {t('start.button')}
              </Button>
            )}
            <Button icon={<ReloadOutlined />} onClick={() => void runs.refetch()} loading={runs.isRefetching} data-testid="etl-runs-refresh">
              {t('refresh')}
            </Button>
            {running && <Typography.Text type="secondary">{t('autoRefresh')}</Typography.Text>}
          </>
        }
      />
      {starting && <StartLoadModal onClose={() => setStarting(false)} />}
    </>
  );
}
