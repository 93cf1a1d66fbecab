import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { EtlRunDetail } from '../../../api/types';
import { refreshWhileRunning } from '../utils/runs';

export function getRun(id: number): Promise<EtlRunDetail> {
  return unwrap(api.GET('/api/etl/runs/{run_id}', { params: { path: { run_id: id } } }));
}

/** One run with its files; asks again every 5 s while it is still running. */
export function useRun(id: number | undefined) {
  return useQuery({
    queryKey: ['etl', 'run', id],
    queryFn: () => getRun(id as number),
    enabled: id !== undefined,
    refetchInterval: (query) => refreshWhileRunning(query.state.data ? [query.state.data] : undefined),
  });
}
