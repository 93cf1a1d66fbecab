/**
 * The one configured table for lists: antd Table with the project's defaults
 * (bordered, small, row key, server paging and sorting when the caller passes them).
 */
import { useCallback, useState, type ReactNode } from 'react';
import { Space, Table, type TableProps } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useTranslation } from 'react-i18next';

export interface ServerPaging {
  page: number;
  pageSize: number;
  total: number;
  onChange: (page: number, pageSize: number) => void;
}

export interface SortState {
  field?: string;
  order?: 'ascend' | 'descend';
}

export interface DataTableProps<T extends object>
  extends Omit<TableProps<T>, 'pagination' | 'onChange' | 'dataSource' | 'rowKey'> {
  rows: readonly T[] | undefined;
  rowKey: keyof T & string;
  /** Server-side paging; when absent the table pages on the client. */
  paging?: ServerPaging;
  /** Server-side sorting: called with the clicked column's field and order. */
  onSortChange?: (sort: SortState) => void;
  /** Controls shown above the table (filters, create button). */
  toolbar?: ReactNode;
  testId?: string;
}

export const PAGE_SIZES = [10, 20, 50, 100];

export function DataTable<T extends object>({
  rows,
  rowKey,
  paging,
  onSortChange,
  toolbar,
  testId,
  ...rest
}: DataTableProps<T>) {
  const { t } = useTranslation();
  const showTotal = (total: number) => t('table.total', { total });

  const onChange: TableProps<T>['onChange'] = (_pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort' && onSortChange) {
      const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<T> | undefined;
      const field = Array.isArray(s?.field) ? s.field.join('.') : s?.field;
      onSortChange({
        field: s?.order ? (field === undefined ? undefined : String(field)) : undefined,
        order: s?.order ?? undefined,
      });
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      {toolbar && (
        <Space wrap style={{ width: '100%' }}>
          {toolbar}
        </Space>
      )}
      <Table<T>
        size="small"
        bordered
        scroll={{ x: 'max-content' }}
        data-testid={testId}
        {...rest}
        rowKey={rowKey}
        dataSource={rows as T[] | undefined}
        onChange={onChange}
        pagination={
          paging
            ? {
                current: paging.page,
                pageSize: paging.pageSize,
                total: paging.total,
                showSizeChanger: true,
                pageSizeOptions: PAGE_SIZES,
                showTotal,
                onChange: paging.onChange,
              }
            : { defaultPageSize: 20, showSizeChanger: true, pageSizeOptions: PAGE_SIZES, showTotal, hideOnSinglePage: true }
        }
      />
    </Space>
  );
}

/** Page state for a server-paged table; `reset` goes back to page 1 (after a filter changes). */
export function usePaging(initialPageSize = 20) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(initialPageSize);
  const onChange = useCallback((p: number, size: number) => {
    setPage(size === pageSize ? p : 1);
    setPageSize(size);
  }, [pageSize]);
  const reset = useCallback(() => setPage(1), []);
  const paging = (total: number | undefined): ServerPaging => ({ page, pageSize, total: total ?? 0, onChange });
  return { page, pageSize, reset, paging };
}
