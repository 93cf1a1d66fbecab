import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { OrgNode } from '../../../api/types';

export const orgKeys = {
  all: ['orgs'] as const,
  tree: () => [...orgKeys.all, 'tree'] as const,
  history: (id: number) => [...orgKeys.all, 'history', id] as const,
};

export function getOrgTree(): Promise<OrgNode[]> {
  return unwrap(api.GET('/api/orgs/tree'));
}

export function useOrgTree(enabled = true) {
  return useQuery({ queryKey: orgKeys.tree(), queryFn: getOrgTree, staleTime: 60_000, enabled });
}
