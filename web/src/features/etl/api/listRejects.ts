import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { EtlRejectPage } from '../../../api/types';

export interface RejectListParams {
  runId: number;
  /** Feed code of the file, e.g. `cust_info`. */
  feed: string;
  page: number;
  page_size: number;
}

/** Rejected rows of one file of a run; ID and phone numbers in the raw lines come masked from the server. */
export function listRejects(p: RejectListParams): Promise<EtlRejectPage> {
  return unwrap(
    api.GET('/api/etl/runs/{run_id}/rejects', {
      params: { path: { run_id: p.runId }, query: { feed: p.feed, page: p.page, page_size: p.page_size } },
    }),
  );
}

export function useRejects(p: RejectListParams | undefined) {
  return useQuery({
    queryKey: ['etl', 'rejects', p],
    queryFn: () => listRejects(p as RejectListParams),
    enabled: p !== undefined,
    placeholderData: keepPreviousData,
  });
}
