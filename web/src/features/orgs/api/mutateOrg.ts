/** Org writes: create a child, rename, move, merge, close. Each refreshes the tree and histories. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { Org, OrgCreateBody } from '../../../api/types';
import { orgKeys } from './getOrgTree';

export function createOrg(body: OrgCreateBody): Promise<Org> {
  return unwrap(api.POST('/api/orgs', { body }));
}

export function renameOrg({ id, name }: { id: number; name: string }): Promise<Org> {
  return unwrap(api.PATCH('/api/orgs/{org_id}', { params: { path: { org_id: id } }, body: { name } }));
}

export function moveOrg({ id, newParentId }: { id: number; newParentId: number }): Promise<Org> {
  return unwrap(api.POST('/api/orgs/{org_id}/move', { params: { path: { org_id: id } }, body: { new_parent_id: newParentId } }));
}

export function mergeOrg({ id, intoOrgId }: { id: number; intoOrgId: number }): Promise<Org> {
  return unwrap(api.POST('/api/orgs/{org_id}/merge', { params: { path: { org_id: id } }, body: { into_org_id: intoOrgId } }));
}

export function closeOrg({ id }: { id: number }): Promise<Org> {
  return unwrap(api.POST('/api/orgs/{org_id}/close', { params: { path: { org_id: id } } }));
}

function useOrgMutation<V>(fn: (v: V) => Promise<Org>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.all }) });
}

export const useCreateOrg = () => useOrgMutation(createOrg);
export const useRenameOrg = () => useOrgMutation(renameOrg);
export const useMoveOrg = () => useOrgMutation(moveOrg);
export const useMergeOrg = () => useOrgMutation(mergeOrg);
export const useCloseOrg = () => useOrgMutation(closeOrg);
