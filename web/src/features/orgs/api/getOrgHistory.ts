import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { OrgHistoryEntry } from '../../../api/types';
import { orgKeys } from './getOrgTree';

export function getOrgHistory(id: number): Promise<OrgHistoryEntry[]> {
  return unwrap(api.GET('/api/orgs/{org_id}/history', { params: { path: { org_id: id } } }));
}

export function useOrgHistory(id: number | undefined) {
  return useQuery({
    queryKey: orgKeys.history(id ?? 0),
    queryFn: () => getOrgHistory(id ?? 0),
    enabled: id !== undefined,
  });
}
