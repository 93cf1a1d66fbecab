/**
 * antd's Result (404, 403, load failed) without its illustrations in the first screen's JavaScript:
 * the status pictures are inline SVGs, fetched here only when such a screen is shown.
 */
import { lazy, Suspense } from 'react';
import type { ResultProps } from 'antd';

const Result = lazy(() => import('antd/es/result'));

export function StatusResult(props: ResultProps) {
  return (
    <Suspense fallback={null}>
      <Result {...props} />
    </Suspense>
  );
}
