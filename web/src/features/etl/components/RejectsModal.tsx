import { Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EtlReject } from '../../../api/types';
import { DataTable, usePaging } from '../../../components/DataTable';
import { useRejects } from '../api/listRejects';
import { formatCount } from '../utils/runs';

/**
 * The rejected rows of one file of a run, paged on the server. Raw lines are shown as text, never as HTML;
 * the server masks ID and phone numbers in them for users without the unmask right.
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
      width: 100,
      align: 'right' as const,
      render: (v: number) => formatCount(v),
    },
    { title: t('rejects.reason'), dataIndex: 'reason', key: 'reason', width: 260 },
    {
      title: t('rejects.raw'),
      dataIndex: 'raw',
      key: 'raw',
      render: (v: string | null) => (
        <Typography.Text
          code
          style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
        >
          {v ?? ''}
        </Typography.Text>
      ),
    },
  ];

  return (
    <Modal
      open
      width={1000}
      title={t('rejects.title', { file: fileName })}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
    >
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
