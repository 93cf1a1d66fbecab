import type { ReactNode } from 'react';
import { Tag } from 'antd';
import { CheckCircleOutlined, ClockCircleOutlined, CloseCircleOutlined, SyncOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { EtlRunStatus } from '../../../api/types';
import { statusColor } from '../utils/runs';

const ICONS: Record<EtlRunStatus, ReactNode> = {
  queued: <ClockCircleOutlined />,
  running: <SyncOutlined spin />,
  published: <CheckCircleOutlined />,
  failed: <CloseCircleOutlined />,
};

/** A run's status as a coloured tag: queued grey (handed over by the command line), running blue
 * (spinning), published green, failed red. */
export function RunStatusTag({ status, testId }: { status: EtlRunStatus; testId?: string }) {
  const { t } = useTranslation('etl');
  return (
    <Tag color={statusColor(status)} icon={ICONS[status]} data-testid={testId}>
      {t(`status.${status}`)}
    </Tag>
  );
}
