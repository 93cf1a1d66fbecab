import { useState } from 'react';
import { Alert, Button, DatePicker, Form, Input, Typography } from 'antd';
import { SafetyOutlined, SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../api/types';
import { DataTable, usePaging } from '../../../components/DataTable';
import { ExportButton } from '../../../components/ExportButton';
import { formatDateTime, jsonText } from '../../../lib/format';
import { useCan } from '../../auth/api/me';
import { useAudit, useVerifyAudit, type AuditFilters } from '../api/listAudit';

interface FilterForm {
  action?: string;
  actor?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

export function AuditPage() {
  const { t } = useTranslation('audit');
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
    { title: t('fields.actor'), dataIndex: 'actor_username', key: 'actor', width: 120 },
    { title: t('fields.action'), dataIndex: 'action', key: 'action', width: 160 },
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
      render: (v: unknown) => (
        <Typography.Text code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
          {jsonText(v)}
        </Typography.Text>
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
