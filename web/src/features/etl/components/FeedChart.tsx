import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { EtlRunFile } from '../../../api/types';
import { Chart, type EChartOption } from '../../../components/Chart';
import { codeLabel } from '../../../lib/labels';
import { feedBars } from '../utils/runs';

/** Accepted and rejected rows per feed of one run, stacked. */
export function FeedChart({ files, loading }: { files: readonly EtlRunFile[]; loading?: boolean }) {
  const { t } = useTranslation('etl');
  const option = useMemo<EChartOption>(() => {
    const bars = feedBars(files);
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, data: [t('files.accepted'), t('files.rejected')] },
      grid: { left: 40, right: 16, bottom: 30, top: 40, containLabel: true },
      xAxis: { type: 'category', data: bars.feeds.map((f) => codeLabel(t, 'feed', f)), axisLabel: { interval: 0, rotate: bars.feeds.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('files.accepted'), type: 'bar', stack: 'rows', color: '#52c41a', data: bars.accepted },
        { name: t('files.rejected'), type: 'bar', stack: 'rows', color: '#ff4d4f', data: bars.rejected },
      ],
    };
  }, [files, t]);
  return <Chart option={option} height={260} loading={loading} testId="etl-feed-chart" />;
}
