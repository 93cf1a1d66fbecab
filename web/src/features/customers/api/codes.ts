/**
 * Code tables the customer pages show and offer (ID types, industries, channels, products), read
 * through the system API when the user may view code tables; otherwise codes are shown as they are.
 */
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { localized } from '../../../lib/format';
import { useCan } from '../../auth/api/me';
import { listCodeItems } from '../../system/api/codeTables';

export type CodeTableName = 'id_type' | 'industry' | 'channel' | 'product';

export interface CodeOptions {
  /** Active items as Select options ("101 居民身份证"); empty without `code.view`. */
  options: { value: string; label: string }[];
  /** The label of a code (any item, active or not), or the code itself when unknown. */
  label: (code: string | null | undefined) => string;
  /** Whether the table could be read (the form then offers a Select, else a plain input). */
  available: boolean;
}

export function useCodeOptions(table: CodeTableName): CodeOptions {
  const { i18n } = useTranslation();
  const can = useCan();
  const allowed = can('code.view');
  const items = useQuery({
    // Same key as the system pages, so both share one cache entry.
    queryKey: ['system', 'code-tables', table, 'items'],
    queryFn: () => listCodeItems(table),
    enabled: allowed,
    staleTime: 5 * 60_000,
  });
  const lang = i18n.resolvedLanguage ?? i18n.language;
  return useMemo(() => {
    const list = items.data ?? [];
    const byCode = new Map(list.map((i) => [i.code, localized(lang, i.label_zh, i.label_en)]));
    return {
      options: [...list]
        .filter((i) => i.active)
        .sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code))
        .map((i) => ({ value: i.code, label: `${i.code} ${localized(lang, i.label_zh, i.label_en)}` })),
      label: (code) => (code ? (byCode.get(code) ?? code) : ''),
      available: allowed && items.isSuccess,
    };
  }, [items.data, items.isSuccess, allowed, lang]);
}
