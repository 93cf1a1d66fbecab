import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { RevealBody, RevealResult } from '../../../api/types';

export interface RevealInput {
  id: number;
  field: RevealBody['field'];
  purpose: string;
}

/** Asks the server for one field in clear; the server checks the unmask right and audits the purpose. */
export function revealField({ id, field, purpose }: RevealInput): Promise<RevealResult> {
  return unwrap(api.POST('/api/customers/{customer_id}/reveal', { params: { path: { customer_id: id } }, body: { field, purpose } }));
}

export function useRevealField() {
  return useMutation({ mutationFn: revealField });
}
