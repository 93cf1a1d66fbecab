import { useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Result, Row, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLabels } from '../../../lib/labels';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../../api/errors';
import { formatDateTime } from '../../../lib/format';
import { useCan } from '../../auth/api/me';
import { useCodeOptions } from '../api/codes';
import { useOverview } from '../api/customer360';
import type { CustomerChange } from '../api/types';
import { AccountsTab } from '../components/AccountsTab';
import { MixChart, TrendChart } from '../components/Customer360Charts';
import { EditCustomerModal } from '../components/EditCustomerModal';
import { ChangesTable, TierHistoryTable } from '../components/HistoryTables';
import { KpiCards } from '../components/KpiCards';
import { ManagersTab } from '../components/ManagersTab';
import { RecordsTab } from '../components/RecordsTab';
import { RevealModal, type SensitiveField } from '../components/RevealModal';
import { SensitiveValue } from '../components/SensitiveValue';
import { TierTag } from '../components/TierTag';
import { TransactionsTab } from '../components/TransactionsTab';
import { parseId } from '../utils/customer';

const TAB_KEYS = ['accounts', 'transactions', 'managers', 'records', 'changes', 'tiers'] as const;
type TabKey = (typeof TAB_KEYS)[number];

/** The customer 360 view: profile, balances, trend, product mix, accounts per system and the customer's history. */
export function CustomerPage() {
  const { t } = useTranslation('customers');
  const { t: tc } = useTranslation();
  const label = useLabels();
  const can = useCan();
  const id = parseId(useParams().id);
  const overview = useOverview(id);
  const [tab, setTab] = useState<TabKey>('accounts');
  const [revealing, setRevealing] = useState<SensitiveField | null>(null);
  const [editing, setEditing] = useState(false);
  const idTypes = useCodeOptions('id_type');
  const industries = useCodeOptions('industry');
  const channels = useCodeOptions('channel');
  const products = useCodeOptions('product');

  const back = (
    <Link to="/customers" data-testid="customer-back">
      <ArrowLeftOutlined /> {t('detail.back')}
    </Link>
  );

  if (id === undefined) return <Result status="404" title="404" subTitle={t('detail.notFound')} extra={back} />;
  if (overview.isPending) {
    return (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin />
      </div>
    );
  }
  if (overview.isError) {
    const e = overview.error;
    if (e instanceof ApiError && e.status === 404) {
      return <Result status="404" title="404" subTitle={t('detail.notFound')} extra={back} />;
    }
    return <Result status="warning" title={tc('loadFailed')} subTitle={e.message} extra={back} />;
  }

  const o = overview.data;
  const p = o.profile;
  const canReveal = can('customer.reveal');
  const sensitive = (field: SensitiveField) => (
    <SensitiveValue value={p[field]} field={field} customerId={p.id} canReveal={canReveal} onReveal={setRevealing} />
  );
  const changeLabel = (field: string, v: string | null) =>
    field === 'id_type' ? idTypes.label(v) : field === 'industry' ? industries.label(v) : (v ?? '');
  const tabLabel = (key: TabKey, extra?: number) => (
    <span data-testid={`customer-tab-${key}`}>
      {t(`tabs.${key}`)}
      {extra !== undefined ? ` (${extra})` : ''}
    </span>
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="customer-360">
      {back}
      <Card
        size="small"
        title={
          <Space wrap size={8}>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="customer-name">
              {p.name}
            </Typography.Title>
            <Typography.Text type="secondary" data-testid="customer-no">
              {p.customer_no}
            </Typography.Text>
            <Tag data-testid="customer-type">{t(`types.${p.type}`)}</Tag>
            <TierTag tier={p.tier} testId="customer-tier" />
            <Typography.Text type="secondary" data-testid="customer-org">
              {p.org_name}
            </Typography.Text>
          </Space>
        }
        extra={
          can('customer.edit') && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="customer-edit">
              {t('detail.edit')}
            </Button>
          )
        }
      >
        <Descriptions size="small" bordered column={{ xs: 1, sm: 2, lg: 3 }} data-testid="customer-profile" title={t('detail.profile')}>
          <Descriptions.Item label={t('fields.customer_no')}>{p.customer_no}</Descriptions.Item>
          <Descriptions.Item label={t('fields.name')}>{p.name}</Descriptions.Item>
          <Descriptions.Item label={t('fields.type')}>{t(`types.${p.type}`)}</Descriptions.Item>
          <Descriptions.Item label={t('fields.id_type')}>{idTypes.label(p.id_type)}</Descriptions.Item>
          <Descriptions.Item label={t('fields.id_no')}>{sensitive('id_no')}</Descriptions.Item>
          <Descriptions.Item label={t('fields.phone')}>{sensitive('phone')}</Descriptions.Item>
          <Descriptions.Item label={t('fields.address')}>{sensitive('address')}</Descriptions.Item>
          <Descriptions.Item label={t('fields.email')}>{p.email ?? ''}</Descriptions.Item>
          <Descriptions.Item label={t('fields.industry')}>{industries.label(p.industry)}</Descriptions.Item>
          <Descriptions.Item label={t('fields.org_name')}>{p.org_name}</Descriptions.Item>
          <Descriptions.Item label={t('fields.tier')}>
            <TierTag tier={p.tier} dash />
          </Descriptions.Item>
          <Descriptions.Item label={t('fields.source')}>{label('system', p.source)}</Descriptions.Item>
          <Descriptions.Item label={t('fields.created_at')}>{formatDateTime(p.created_at)}</Descriptions.Item>
          <Descriptions.Item label={t('fields.updated_at')}>{formatDateTime(p.updated_at)}</Descriptions.Item>
        </Descriptions>
      </Card>

      {o.totals ? (
        <Typography.Text type="secondary" data-testid="customer-as-of">
          {t('detail.asOf', { date: o.totals.as_of, count: o.totals.accounts })}
        </Typography.Text>
      ) : (
        <Alert type="info" showIcon title={t('detail.noTotals')} data-testid="customer-no-totals" />
      )}
      <KpiCards totals={o.totals} />

      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <TrendChart points={o.trend} />
        </Col>
        <Col xs={24} xl={10}>
          <MixChart mix={o.mix} productLabel={products.label} />
        </Col>
      </Row>

      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as TabKey)}
          data-testid="customer-tabs"
          items={[
            {
              key: 'accounts',
              label: tabLabel('accounts', o.accounts.length),
              children: <AccountsTab accounts={o.accounts} productLabel={products.label} />,
            },
            {
              key: 'transactions',
              label: tabLabel('transactions'),
              children: <TransactionsTab customerId={p.id} channelLabel={channels.label} />,
            },
            {
              key: 'managers',
              label: tabLabel('managers'),
              children: <ManagersTab customerId={p.id} managers={o.managers} canAssign={can('customer.assign')} />,
            },
            {
              key: 'records',
              label: tabLabel('records'),
              children: <RecordsTab customerId={p.id} canRecord={can('customer.record')} channels={channels} />,
            },
            {
              key: 'changes',
              label: tabLabel('changes'),
              children: <ChangesTable changes={o.changes as CustomerChange[]} label={changeLabel} />,
            },
            {
              key: 'tiers',
              label: tabLabel('tiers'),
              children: <TierHistoryTable tiers={o.tiers} />,
            },
          ]}
        />
      </Card>

      {revealing && <RevealModal customer={p} field={revealing} onClose={() => setRevealing(null)} />}
      {editing && <EditCustomerModal profile={p} idTypes={idTypes} industries={industries} onClose={() => setEditing(false)} />}
    </Space>
  );
}
