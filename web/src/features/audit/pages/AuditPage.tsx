import { useState } from 'react';
import { Alert, Button, DatePicker, Form, Input, Typography } from 'antd';
import { SafetyOutlined, SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../api/types';
import { DataTable, usePaging } from '../../../components/DataTable';
import { ExportButton } from '../../../components/ExportButton';
import { formatDateTime, jsonText } from '../../../lib/format';
import { useLabels } from '../../../lib/labels';

/** An audit detail as `key: value` lines (nested values as JSON text). */
export function detailLines(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'object' || Array.isArray(v)) return jsonText(v);
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}: ${typeof x === 'string' ? x : jsonText(x)}`)
    .join('\n');
}
import { useCan } from '../../auth/api/me';
import { useAudit, useVerifyAudit, type AuditFilters } from '../api/listAudit';

interface FilterForm {
  action?: string;
  actor?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

export function AuditPage() {
  const { t } = useTranslation('audit');
  const label = useLabels();
  const { page, pageSize, reset, paging } = usePaging();
  const [filters, setFilters] = useState<AuditFilters>({});
  const audit = useAudit({ ...filters, page, page_size: pageSize });
  const verify = useVerifyAudit();
  const can = useCan();

  const onSearch = (v: FilterForm) => {
    setFilters({
      action: v.action?.trim() || undefined,
      actor: v.actor?.trim() || undefined,
      date_from: v.range?.[0]?.format('YYYY-MM-DD'),
      date_to: v.range?.[1]?.format('YYYY-MM-DD'),
    });
    reset();
  };

  const columns = [
    { title: t('fields.at'), dataIndex: 'at', key: 'at', width: 170, render: (v: string) => formatDateTime(v) },
    { title: t('fields.actor'), dataIndex: 'actor_username', key: 'actor', width: 120, render: (v: string | null) => label('actor', v) },
    {
      title: t('fields.action'),
      dataIndex: 'action',
      key: 'action',
      width: 160,
      render: (v: string) => <span title={v}>{label('auditAction', v)}</span>,
    },
    {
      title: t('fields.target'),
      key: 'target',
      width: 160,
      render: (_: unknown, e: AuditEntry) => [e.target_type, e.target_id].filter(Boolean).join(' #'),
    },
    {
      title: t('fields.detail'),
      dataIndex: 'detail',
      key: 'detail',
      width: 420,
      // One line per field, cut to two lines with the rest a click away; text, never HTML.
      render: (v: unknown) => (
        <Typography.Paragraph
          style={{ marginBottom: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}
          ellipsis={{ rows: 2, expandable: 'collapsible' }}
        >
          {detailLines(v)}
        </Typography.Paragraph>
      ),
    },
    { title: t('fields.ip'), dataIndex: 'ip', key: 'ip', width: 130 },
  ];

  const result = verify.data;

  return (
    <>
      {result && (
        <Alert
          data-testid="audit-verify-result"
          style={{ marginBottom: 16 }}
          showIcon
          closable={{ onClose: () => verify.reset() }}
          type={result.ok ? 'success' : 'error'}
          title={
            result.ok
              ? t('verify.ok', { checked: result.checked })
              : t('verify.bad', { checked: result.checked, id: result.first_bad_id ?? '?' })
          }
          description={result.reason ?? undefined
          }
        />
      )}
      <DataTable<AuditEntry>
        testId="audit-table"
        rowKey="id"
        rows={audit.data?.items}
        loading={audit.isFetching}
        columns={columns}
        paging={paging(audit.data?.total)}
        toolbar={
          <>
            <Form<FilterForm> layout="inline" onFinish={onSearch}>
              <Form.Item name="action">
                <Input placeholder={t('fields.action')} allowClear data-testid="audit-filter-action" />
              </Form.Item>
              <Form.Item name="actor">
                <Input placeholder={t('fields.actor')} allowClear data-testid="audit-filter-actor" />
              </Form.Item>
              <Form.Item name="range">
                <DatePicker.RangePicker data-testid="audit-filter-range" />
              </Form.Item>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
                {t('search')}
              </Button>
            </Form>
            {can('audit.verify') && (
              <Button icon={<SafetyOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="audit-verify">
                {t('verify.button')}
              </Button>
            )}
            <ExportButton
              path="/api/audit/export"
              filters={{
                action: filters.action ?? null,
                actor: filters.actor ?? null,
                date_from: filters.date_from ?? null,
                date_to: filters.date_to ?? null,
              }}
              viewPermission="audit.view"
              fallbackName="audit.xlsx"
            />
          </>
        }
      />
    </>
  );
}
