import { useMemo } from 'react';
import { Card, Empty } from 'antd';
import { useTranslation } from 'react-i18next';
import { Chart, type EChartOption } from '../../../components/Chart';
import type { MixItem, TrendPoint } from '../api/types';
import { formatAmount, mixSlices, trendSeries } from '../utils/customer';

const amountLabel = (v: unknown) => formatAmount(typeof v === 'number' ? v : Number(v));

/** AUM (deposits + wealth) and liabilities (loans + card debt) over the loaded business dates. */
export function TrendChart({ points }: { points: readonly TrendPoint[] }) {
  const { t } = useTranslation('customers');
  const option = useMemo<EChartOption>(() => {
    const s = trendSeries(points);
    return {
      tooltip: { trigger: 'axis', valueFormatter: amountLabel },
      legend: { top: 0, data: [t('charts.aum'), t('charts.liabilities')] },
      grid: { left: 16, right: 24, bottom: 24, top: 40, containLabel: true },
      xAxis: { type: 'category', boundaryGap: false, data: s.dates },
      yAxis: { type: 'value' },
      series: [
        { name: t('charts.aum'), type: 'line', smooth: true, showSymbol: s.dates.length < 40, color: '#1677ff', data: s.aum },
        {
          name: t('charts.liabilities'),
          type: 'line',
          smooth: true,
          showSymbol: s.dates.length < 40,
          color: '#fa541c',
          data: s.liabilities,
        },
      ],
    };
  }, [points, t]);
  return (
    <Card size="small" title={t('charts.trend')} style={{ height: '100%' }}>
      {points.length ? (
        <Chart option={option} height={280} testId="customer-trend-chart" />
      ) : (
        <Empty description={t('charts.empty')} data-testid="customer-trend-empty" />
      )}
    </Card>
  );
}

/** Balances by product (assets and liabilities alike), as a ring. */
export function MixChart({ mix, productLabel }: { mix: readonly MixItem[]; productLabel: (code: string) => string }) {
  const { t } = useTranslation('customers');
  const slices = useMemo(() => mixSlices(mix, productLabel), [mix, productLabel]);
  const option = useMemo<EChartOption>(
    () => ({
      tooltip: { trigger: 'item', valueFormatter: amountLabel },
      legend: { type: 'scroll', orient: 'vertical', right: 0, top: 'middle' },
      series: [
        {
          name: t('charts.mix'),
          type: 'pie',
          radius: ['40%', '70%'],
          center: ['35%', '50%'],
          avoidLabelOverlap: true,
          label: { show: false },
          data: slices.map((s) => ({ name: s.name, value: s.value })),
        },
      ],
    }),
    [slices, t],
  );
  return (
    <Card size="small" title={t('charts.mix')} style={{ height: '100%' }}>
      {slices.length ? (
        <Chart option={option} height={280} testId="customer-mix-chart" />
      ) : (
        <Empty description={t('charts.empty')} data-testid="customer-mix-empty" />
      )}
    </Card>
  );
}
