/**
 * What pages use to draw a chart. ECharts (about 190 KB gzip, several hundred ms of parsing on a busy
 * machine) is fetched with the first chart shown, never with the page around it, and only after the
 * page has been painted once: a page's text and tables appear without waiting for it.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { Spin } from 'antd';
import type { EChartProps } from './EChart';

export type { EChartOption, EChartProps } from './EChart';

const EChart = lazy(async () => ({ default: (await import('./EChart')).EChart }));

/** True from the frame after the first paint on (a timer set in an animation frame runs after it). */
function usePainted(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setPainted(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, []);
  return painted;
}

export function Chart(props: EChartProps) {
  const { height = 300, style } = props;
  const painted = usePainted();
  const placeholder = (
    <div style={{ width: '100%', height, display: 'flex', alignItems: 'center', justifyContent: 'center', ...style }}>
      <Spin />
    </div>
  );
  return painted ? <Suspense fallback={placeholder}>{<EChart {...props} />}</Suspense> : placeholder;
}
