/**
 * What pages use to draw a chart: ECharts (about 190 KB gzip) is fetched with the first chart shown,
 * never with the page around it, so a page's text and tables appear without waiting for it.
 */
import { lazy, Suspense } from 'react';
import { Spin } from 'antd';
import type { EChartProps } from './EChart';

export type { EChartOption, EChartProps } from './EChart';

const EChart = lazy(async () => ({ default: (await import('./EChart')).EChart }));

export function Chart(props: EChartProps) {
  const { height = 300, style } = props;
  return (
    <Suspense
      fallback={
        <div style={{ width: '100%', height, display: 'flex', alignItems: 'center', justifyContent: 'center', ...style }}>
          <Spin />
        </div>
      }
    >
      <EChart {...props} />
    </Suspense>
  );
}
