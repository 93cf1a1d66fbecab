import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type EChartOption } from '../../../components/Chart';
import { formatBand, levelBand } from '../../../lib/format';
import { formatAmount } from '../../customers/utils/customer';
import type { TopMeasure, TopRow } from '../api/types';
import { topBars } from '../utils/query';

/** The chosen measure of the top-N customers as horizontal bars, rank 1 at the top. */
export function TopChart({ rows, by, loading }: { rows: readonly TopRow[]; by: TopMeasure; loading?: boolean }) {
  const { t, i18n } = useTranslation('query');
  const measure = t(`top.measures.${by}`);
  const option = useMemo<EChartOption>(() => {
    const bars = topBars(rows, by);
    // Bands (a caller without the amount right): bars are band levels, labelled as bands, no amount axis.
    const label = (v: number) => (bars.banded ? formatBand(levelBand(v), i18n.language) : formatAmount(v));
    return {
      title: { text: t('top.chart', { n: bars.names.length, measure }), left: 'center', textStyle: { fontSize: 14 } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: unknown) => (typeof v === 'number' ? label(v) : ''),
      },
      grid: { left: 8, right: 48, top: 40, bottom: 8, containLabel: true },
      xAxis: bars.banded ? { type: 'value', axisLabel: { show: false } } : { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: bars.names, axisLabel: { width: 160, overflow: 'truncate' } },
      series: [
        {
          name: measure,
          type: 'bar',
          data: bars.values,
          color: by === 'npl' ? '#ff4d4f' : by === 'loans' ? '#fa8c16' : '#1677ff',
          label: { show: true, position: 'right', formatter: (p: { value: number }) => label(p.value) },
        },
      ],
    };
  }, [rows, by, measure, t, i18n.language]);
  return <Chart option={option} height={Math.max(240, rows.length * 32 + 60)} loading={loading} testId="top-chart" />;
}
