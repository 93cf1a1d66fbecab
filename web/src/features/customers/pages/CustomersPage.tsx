import { useMemo, useState } from 'react';
import { Button, Input, Select, Space, Switch, Typography } from 'antd';
import { SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { Customer } from '../../../api/types';
import { DataTable, usePaging, type SortState } from '../../../components/DataTable';
import { ExportButton } from '../../../components/ExportButton';
import { useCan } from '../../auth/api/me';
import { OrgTreeSelect } from '../../orgs/components/OrgTreeSelect';
import { useCodeOptions } from '../api/codes';
import { useManagerCandidates } from '../api/customer360';
import { useCustomers } from '../api/listCustomers';
import type { CustomerSearch, CustomerSort, CustomerType, Tier } from '../api/types';
import { RevealModal, type SensitiveField } from '../components/RevealModal';
import { SensitiveValue } from '../components/SensitiveValue';
import { TierTag } from '../components/TierTag';
import { TransferBookModal } from '../components/TransferBookModal';
import { TIERS, customerPath } from '../utils/customer';

/** The filters of the list (applied ones: the search box applies on Enter / search click). */
export interface CustomerFilters {
  q: string;
  type?: CustomerType;
  tier?: Tier;
  org_id?: number;
  manager_id?: number;
  mine: boolean;
}

const SORTABLE: readonly CustomerSort[] = ['customer_no', 'name', 'org_name', 'tier', 'updated_at'];
const DEFAULT_SORT: { sort: CustomerSort; order: 'asc' | 'desc' } = { sort: 'customer_no', order: 'asc' };

/** The filter part of the search / export body; unset filters are left out. */
export function filterBody(f: CustomerFilters, sort: CustomerSort, order: 'asc' | 'desc') {
  return {
    q: f.q,
    mine: f.mine,
    sort,
    order,
    ...(f.type ? { type: f.type } : {}),
    ...(f.tier ? { tier: f.tier } : {}),
    ...(f.org_id !== undefined ? { org_id: f.org_id } : {}),
    ...(f.manager_id !== undefined ? { manager_id: f.manager_id } : {}),
  };
}

export function CustomersPage() {
  const { t } = useTranslation('customers');
  const can = useCan();
  const navigate = useNavigate();
  const { page, pageSize, reset, paging } = usePaging();
  const [filters, setFilters] = useState<CustomerFilters>({ q: '', mine: false });
  const [sorting, setSorting] = useState(DEFAULT_SORT);
  const [revealing, setRevealing] = useState<{ customer: Customer; field: SensitiveField } | null>(null);
  const [transferring, setTransferring] = useState(false);
  const canReveal = can('customer.reveal');
  const canAssign = can('customer.assign');
  const idTypes = useCodeOptions('id_type');
  const candidates = useManagerCandidates(canAssign);

  const filtersBody = useMemo(() => filterBody(filters, sorting.sort, sorting.order), [filters, sorting]);
  const body: CustomerSearch = { ...filtersBody, page, page_size: pageSize };
  const customers = useCustomers(body);

  const setFilter = (patch: Partial<CustomerFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    reset();
  };

  const onSortChange = (s: SortState) => {
    const field = SORTABLE.find((f) => f === s.field);
    setSorting(field && s.order ? { sort: field, order: s.order === 'descend' ? 'desc' : 'asc' } : DEFAULT_SORT);
    reset();
  };

  const sortOrder = (field: CustomerSort) =>
    sorting.sort === field ? (sorting.order === 'desc' ? ('descend' as const) : ('ascend' as const)) : null;

  const sensitive = (field: SensitiveField) => (value: string | null, c: Customer) => (
    <SensitiveValue
      value={value}
      field={field}
      customerId={c.id}
      canReveal={canReveal}
      onReveal={(f) => setRevealing({ customer: c, field: f })}
    />
  );

  // The ID number stays the fifth column (browser tests read it there).
  const columns = [
    { title: t('fields.customer_no'), dataIndex: 'customer_no', key: 'customer_no', sorter: true, sortOrder: sortOrder('customer_no') },
    {
      title: t('fields.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      sortOrder: sortOrder('name'),
      render: (name: string, c: Customer) => (
        <Link to={customerPath(c.id)} onClick={(e) => e.stopPropagation()} data-testid={`customer-link-${c.id}`}>
          {name}
        </Link>
      ),
    },
    { title: t('fields.type'), dataIndex: 'type', key: 'type', render: (v: Customer['type']) => t(`types.${v}`) },
    {
      title: t('fields.id_type'),
      dataIndex: 'id_type',
      key: 'id_type',
      render: (v: string) => (idTypes.available ? idTypes.label(v) : v),
    },
    { title: t('fields.id_no'), dataIndex: 'id_no', key: 'id_no', render: sensitive('id_no') },
    { title: t('fields.phone'), dataIndex: 'phone', key: 'phone', render: sensitive('phone') },
    { title: t('fields.org_name'), dataIndex: 'org_name', key: 'org_name', sorter: true, sortOrder: sortOrder('org_name') },
    {
      title: t('fields.tier'),
      dataIndex: 'tier',
      key: 'tier',
      sorter: true,
      sortOrder: sortOrder('tier'),
      render: (v: string | null | undefined, c: Customer) => <TierTag tier={v} dash testId={`customer-tier-${c.id}`} />,
    },
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
        onSortChange={onSortChange}
        onRow={(c) => ({ onClick: () => navigate(customerPath(c.id)), style: { cursor: 'pointer' } })}
        toolbar={
          <>
            <Input.Search
              allowClear
              placeholder={t('search')}
              style={{ width: 320 }}
              onSearch={(v) => setFilter({ q: v.trim() })}
              data-testid="customer-search"
            />
            <Select<CustomerType>
              allowClear
              placeholder={t('filters.type')}
              style={{ width: 120 }}
              value={filters.type}
              onChange={(v) => setFilter({ type: v ?? undefined })}
              options={(['personal', 'corporate'] as const).map((v) => ({ value: v, label: t(`types.${v}`) }))}
              data-testid="customer-filter-type"
            />
            <Select<Tier>
              allowClear
              placeholder={t('filters.tier')}
              style={{ width: 150 }}
              value={filters.tier}
              onChange={(v) => setFilter({ tier: v ?? undefined })}
              options={TIERS.map((v) => ({ value: v, label: t(`tiers.${v}`) }))}
              data-testid="customer-filter-tier"
            />
            {can('org.view') && (
              <OrgTreeSelect
                allowClear
                activeOnly={false}
                value={filters.org_id}
                placeholder={t('filters.org')}
                onChange={(v) => setFilter({ org_id: v })}
                testId="customer-filter-org"
              />
            )}
            {canAssign && (
              <Select<number>
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('filters.manager')}
                style={{ width: 200 }}
                value={filters.manager_id}
                onChange={(v) => setFilter({ manager_id: v ?? undefined })}
                loading={candidates.isPending}
                options={(candidates.data ?? []).map((m) => ({ value: m.id, label: `${m.display_name} (${m.username})` }))}
                data-testid="customer-filter-manager"
              />
            )}
            <Space size={6}>
              <Switch
                checked={filters.mine}
                onChange={(mine) => setFilter({ mine })}
                data-testid="customer-filter-mine"
                aria-label={t('filters.mine')}
              />
              <Typography.Text>{t('filters.mine')}</Typography.Text>
            </Space>
            <ExportButton
              path="/api/customers/export"
              filters={filtersBody}
              viewPermission="customer.view"
              rows={customers.isFetching ? undefined : customers.data?.total}
              fallbackName="customers.xlsx"
            />
            {canAssign && (
              <Button icon={<SwapOutlined />} onClick={() => setTransferring(true)} data-testid="customer-transfer">
                {t('transfer.button')}
              </Button>
            )}
          </>
        }
      />
      {revealing && (
        <RevealModal customer={revealing.customer} field={revealing.field} onClose={() => setRevealing(null)} />
      )}
      {transferring && <TransferBookModal onClose={() => setTransferring(false)} />}
    </>
  );
}
