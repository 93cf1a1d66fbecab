import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, quiet, unwrap } from '../../../api/client';
import type { Parameter, ParameterValue } from '../../../api/types';

const parameterKeys = { all: ['system', 'parameters'] as const };

export function listParameters(): Promise<Parameter[]> {
  return unwrap(api.GET('/api/system/parameters'));
}

export function useParameters() {
  return useQuery({ queryKey: parameterKeys.all, queryFn: listParameters });
}

/** Saves one value; the server validates it against the parameter's type and bounds (error shown inline). */
export function setParameter({ key, value }: { key: string; value: ParameterValue }): Promise<Parameter[]> {
  return unwrap(
    api.PUT('/api/system/parameters/{key}', { params: { path: { key } }, body: { value }, middleware: [quiet] }),
  );
}

export function useSetParameter() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: setParameter, onSuccess: () => qc.invalidateQueries({ queryKey: parameterKeys.all }) });
}
