import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { CodeItem, CodeItemCreateBody, CodeItemUpdateBody, CodeTable } from '../../../api/types';

const codeKeys = {
  tables: ['system', 'code-tables'] as const,
  items: (code: string) => ['system', 'code-tables', code, 'items'] as const,
};

export function listCodeTables(): Promise<CodeTable[]> {
  return unwrap(api.GET('/api/system/code-tables'));
}

export function useCodeTables() {
  return useQuery({ queryKey: codeKeys.tables, queryFn: listCodeTables });
}

export function listCodeItems(code: string): Promise<CodeItem[]> {
  return unwrap(api.GET('/api/system/code-tables/{code}/items', { params: { path: { code } } }));
}

export function useCodeItems(code: string | undefined) {
  return useQuery({
    queryKey: codeKeys.items(code ?? ''),
    queryFn: () => listCodeItems(code ?? ''),
    enabled: !!code,
  });
}

export function createCodeItem({ table, body }: { table: string; body: CodeItemCreateBody }): Promise<CodeItem> {
  return unwrap(api.POST('/api/system/code-tables/{code}/items', { params: { path: { code: table } }, body }));
}

export function updateCodeItem({
  table,
  item,
  body,
}: {
  table: string;
  item: string;
  body: CodeItemUpdateBody;
}): Promise<CodeItem> {
  return unwrap(
    api.PATCH('/api/system/code-tables/{code}/items/{item_code}', {
      params: { path: { code: table, item_code: item } },
      body,
    }),
  );
}

function useItemMutation<V extends { table: string }>(fn: (v: V) => Promise<CodeItem>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (_r, v) => qc.invalidateQueries({ queryKey: codeKeys.items(v.table) }),
  });
}

export const useCreateCodeItem = () => useItemMutation(createCodeItem);
export const useUpdateCodeItem = () => useItemMutation(updateCodeItem);
