import { useState } from 'react';
import { Button, Input, Space, Tooltip } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../../api/types';
import { DataTable, usePaging } from '../../../components/DataTable';
import { ExportButton } from '../../../components/ExportButton';
import { useCan } from '../../auth/api/me';
import { useCustomers } from '../api/listCustomers';
import { RevealModal, type SensitiveField } from '../components/RevealModal';

/** The server masks with asterisks; a value without any is already in clear and needs no reveal. */
export function isMasked(value: string | null | undefined): boolean {
  return !!value && /[*＊]/.test(value);
}

export function CustomersPage() {
  const { t } = useTranslation('customers');
  const can = useCan();
  const { page, pageSize, reset, paging } = usePaging();
  const [q, setQ] = useState('');
  const customers = useCustomers({ q, page, page_size: pageSize });
  const [revealing, setRevealing] = useState<{ customer: Customer; field: SensitiveField } | null>(null);
  const canReveal = can('customer.reveal');

  const sensitive = (field: SensitiveField) => (value: string | null, c: Customer) => (
    <Space size={4}>
      <span>{value ?? ''}</span>
      {canReveal && isMasked(value) && (
        <Tooltip title={t('reveal.action')}>
          <Button
            type="link"
            size="small"
            icon={<EyeOutlined />}
            aria-label={t('reveal.action')}
            onClick={() => setRevealing({ customer: c, field })}
            data-testid={`reveal-${field}-${c.id}`}
          />
        </Tooltip>
      )}
    </Space>
  );

  const columns = [
    { title: t('fields.customer_no'), dataIndex: 'customer_no', key: 'customer_no' },
    { title: t('fields.name'), dataIndex: 'name', key: 'name' },
    { title: t('fields.type'), dataIndex: 'type', key: 'type', render: (v: Customer['type']) => t(`types.${v}`) },
    { title: t('fields.id_type'), dataIndex: 'id_type', key: 'id_type' },
    { title: t('fields.id_no'), dataIndex: 'id_no', key: 'id_no', render: sensitive('id_no') },
    { title: t('fields.phone'), dataIndex: 'phone', key: 'phone', render: sensitive('phone') },
    { title: t('fields.org_name'), dataIndex: 'org_name', key: 'org_name' },
  ];

  return (
    <>
      <DataTable<Customer>
        testId="customers-table"
        rowKey="id"
        rows={customers.data?.items}
        loading={customers.isFetching}
        columns={columns}
        paging={paging(customers.data?.total)}
        toolbar={
          <>
            <Input.Search
              allowClear
              placeholder={t('search')}
              style={{ width: 320 }}
              onSearch={(v) => {
                setQ(v.trim());
                reset();
              }}
              data-testid="customer-search"
            />
            <ExportButton path="/api/customers/export" filters={{ q, mine: false, sort: 'customer_no', order: 'asc' }} viewPermission="customer.view" fallbackName="customers.xlsx" />
          </>
        }
      />
      {revealing && (
        <RevealModal customer={revealing.customer} field={revealing.field} onClose={() => setRevealing(null)} />
      )}
    </>
  );
}
