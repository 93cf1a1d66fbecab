/**
 * The state every account-list query page keeps: the conditions last submitted (not what is being
 * typed), the table's sort, the page, and the request body made of them. A new submit or sort goes
 * back to page 1. `toConditions` must be stable (a module function or a `useCallback`).
 */
import { useMemo, useState } from 'react';
import { usePaging, type SortState } from '../../../components/DataTable';
import { DEFAULT_SORT, sortFromTable, type Sorting } from '../utils/query';

export function useAppliedConditions<V extends object, C extends object>(toConditions: (values: V, sorting: Sorting) => C) {
  const [applied, setApplied] = useState<V | null>(null);
  const [sorting, setSorting] = useState<Sorting>(DEFAULT_SORT);
  const { page, pageSize, reset, paging } = usePaging();
  const conditions = useMemo(() => (applied ? toConditions(applied, sorting) : null), [applied, sorting, toConditions]);
  const body = conditions ? { ...conditions, page, page_size: pageSize } : null;
  const onSubmit = (values: V) => {
    setApplied({ ...values });
    reset();
  };
  const onSortChange = (s: SortState) => {
    setSorting(sortFromTable(s));
    reset();
  };
  return { conditions, body, sorting, paging, onSubmit, onSortChange };
}
