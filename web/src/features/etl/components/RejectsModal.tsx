import { Modal, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EtlReject } from '../../../api/types';
import { DataTable, usePaging } from '../../../components/DataTable';
import { rejectReason } from '../../../lib/labels';
import { useRejects } from '../api/listRejects';
import { formatCount } from '../utils/runs';

const MONO = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', wordBreak: 'break-all' as const };

/**
 * The rejected rows of one file of a run, paged on the server. Each line is shown as its fields by the
 * layout (`name = value`), masked by the server for users without the unmask right; the raw line comes,
 * and is shown, only for users who may unmask. A line longer than what is kept is marked as cut. The
 * reason is shown in the reader's language (the stored English reason stays in the title for operators).
 * Everything is text, never HTML.
 */
export function RejectsModal({
  runId,
  feed,
  fileName,
  onClose,
}: {
  runId: number;
  feed: string;
  fileName: string;
  onClose: () => void;
}) {
  const { t } = useTranslation('etl');
  const { page, pageSize, paging } = usePaging(50);
  const rejects = useRejects({ runId, feed, page, page_size: pageSize });

  const columns = [
    {
      title: t('rejects.line_no'),
      dataIndex: 'line_no',
      key: 'line_no',
      width: 90,
      align: 'right' as const,
      render: (v: number) => formatCount(v),
    },
    {
      title: t('rejects.reason'),
      dataIndex: 'reason',
      key: 'reason',
      width: 260,
      render: (v: string) => <span title={v}>{rejectReason(t, v)}</span>,
    },
    {
      title: t('rejects.fields'),
      key: 'fields',
      render: (_: unknown, r: EtlReject) => (
        <div data-testid={`etl-reject-${r.line_no}`}>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: '2px 12px' }}>
            {r.fields.map((f, i) => (
              <span key={`${i}-${f.name}`} style={MONO}>
                <Typography.Text type="secondary">{f.name}</Typography.Text>
                {' = '}
                <Typography.Text>{f.value}</Typography.Text>
              </span>
            ))}
            {r.truncated && <Tag color="orange">{t('rejects.truncated')}</Tag>}
          </div>
          {r.raw !== null && r.raw !== undefined && (
            <div style={{ marginTop: 4 }}>
              <Typography.Text type="secondary">{t('rejects.raw')}：</Typography.Text>
              <Typography.Text code style={{ ...MONO, whiteSpace: 'pre-wrap' }} data-testid={`etl-reject-raw-${r.line_no}`}>
                {r.raw}
              </Typography.Text>
            </div>
          )}
        </div>
      ),
    },
  ];

  return (
    <Modal open width={1100} title={t('rejects.title', { file: fileName })} onCancel={onClose} footer={null} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('rejects.masked')}</Typography.Paragraph>
      <DataTable<EtlReject>
        testId="etl-rejects-table"
        rowKey="line_no"
        rows={rejects.data?.items}
        loading={rejects.isFetching}
        columns={columns}
        paging={paging(rejects.data?.total)}
      />
    </Modal>
  );
}
