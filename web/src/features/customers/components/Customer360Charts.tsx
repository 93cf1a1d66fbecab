import { useMemo } from 'react';
import { Card, Empty, List } from 'antd';
import { useTranslation } from 'react-i18next';
import { Chart, type EChartOption } from '../../../components/Chart';
import type { MixItem, TrendPoint } from '../api/types';
import { formatBand, isAmountBand, levelBand } from '../../../lib/format';
import { anyBanded, formatAmount, mixSlices, trendSeries } from '../utils/customer';

const amountLabel = (v: unknown) => formatAmount(typeof v === 'number' ? v : Number(v));

/** AUM (deposits + wealth) and liabilities (loans + card debt) over the loaded business dates. */
export function TrendChart({ points }: { points: readonly TrendPoint[] }) {
  const { t, i18n } = useTranslation('customers');
  const option = useMemo<EChartOption>(() => {
    const s = trendSeries(points);
    // Bands (a caller without the amount right): deposits and loans as band levels, the axis labelled
    // with bands, never amounts.
    const bandLabel = (v: unknown) => (typeof v === 'number' ? formatBand(levelBand(v), i18n.language) : '');
    const names = s.banded ? [t('kpi.deposits'), t('kpi.loans')] : [t('charts.aum'), t('charts.liabilities')];
    return {
      tooltip: { trigger: 'axis', valueFormatter: s.banded ? bandLabel : amountLabel },
      legend: { top: 0, data: names },
      grid: { left: 16, right: 24, bottom: 24, top: 40, containLabel: true },
      xAxis: { type: 'category', boundaryGap: false, data: s.dates },
      yAxis: s.banded ? { type: 'value', minInterval: 1, axisLabel: { formatter: bandLabel } } : { type: 'value' },
      series: [
        { name: names[0], type: 'line', step: s.banded ? 'middle' : undefined, smooth: !s.banded, showSymbol: s.dates.length < 40, color: '#1677ff', data: s.aum },
        {
          step: s.banded ? 'middle' : undefined,
          name: names[1],
          type: 'line',
          smooth: !s.banded,
          showSymbol: s.dates.length < 40,
          color: '#fa541c',
          data: s.liabilities,
        },
      ],
    };
  }, [points, t, i18n.language]);
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
  const { t, i18n } = useTranslation('customers');
  const banded = anyBanded(mix.map((m) => m.balance));
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
  if (banded) {
    // Bands have no proportions to draw: the mix is a list of products and their bands.
    return (
      <Card size="small" title={t('charts.mix')} style={{ height: '100%' }}>
        <List
          size="small"
          data-testid="customer-mix-bands"
          dataSource={mix.filter((m) => isAmountBand(m.balance) && !m.balance.negative)}
          renderItem={(m) => (
            <List.Item extra={formatAmount(m.balance, i18n.language)}>{m.product ? productLabel(m.product) : m.kind}</List.Item>
          )}
        />
      </Card>
    );
  }
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
