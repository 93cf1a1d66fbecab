import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { EtlRunPage } from '../../../api/types';
import { refreshWhileRunning } from '../utils/runs';

export interface RunListParams {
  page: number;
  page_size: number;
}

export function listRuns(p: RunListParams): Promise<EtlRunPage> {
  return unwrap(api.GET('/api/etl/runs', { params: { query: { page: p.page, page_size: p.page_size } } }));
}

/** Load runs, newest first; asks again every 5 s while a run on the page is still running. */
export function useRuns(p: RunListParams) {
  return useQuery({
    queryKey: ['etl', 'runs', p],
    queryFn: () => listRuns(p),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => refreshWhileRunning(query.state.data?.items),
  });
}
