/** QRY-4 对公十大客户: the top-N corporate customers of an org by deposits, loans or non-performing loans. */
import { useState } from 'react';
import { Card, Col, Empty, Form, InputNumber, Radio, Row, Space } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { DataTable } from '../../../components/DataTable';
import { customerPath, formatAmount, type Money } from '../../customers/utils/customer';
import { useTopCorporate } from '../api/queries';
import type { TopMeasure, TopQuery, TopRow } from '../api/types';
import { FIELD_COL, OrgField } from '../components/ConditionFields';
import { ConditionsCard } from '../components/ConditionsCard';
import { QueryError } from '../components/QueryError';
import { QueryExportButton } from '../components/QueryExportButton';
import { TopChart } from '../components/TopChart';
import { TOP_MEASURES, TOP_N_MAX } from '../utils/query';

interface TopValues {
  org_id?: number | null;
  by: TopMeasure;
  n: number;
}

const INITIAL: TopValues = { by: 'deposits', n: 10 };

export function topBody(v: TopValues): TopQuery {
  return { by: v.by, n: v.n, ...(typeof v.org_id === 'number' ? { org_id: v.org_id } : {}) };
}

export function TopCorporatePage() {
  const { t, i18n } = useTranslation('query');
  const [form] = Form.useForm<TopValues>();
  // The default ranking (whole scope, by deposits, top 10) shows at once.
  const [body, setBody] = useState<TopQuery>(topBody(INITIAL));
  const top = useTopCorporate(body);
  const rows = top.data ?? [];

  const amount = (key: TopMeasure): ColumnsType<TopRow>[number] => ({
    title: t(`top.measures.${key}`),
    dataIndex: key,
    key,
    align: 'right',
    className: key === body.by ? 'ant-table-column-sort' : undefined,
    render: (v: Money) => formatAmount(v, i18n.language),
  });
  const columns: ColumnsType<TopRow> = [
    { title: t('top.rank'), dataIndex: 'rank', key: 'rank', width: 70, align: 'right' },
    { title: t('top.customer_no'), dataIndex: 'customer_no', key: 'customer_no' },
    {
      title: t('top.name'),
      dataIndex: 'name',
      key: 'name',
      render: (v: string, r: TopRow) => (
        <Link to={customerPath(r.customer_id)} data-testid={`top-customer-${r.customer_id}`}>
          {v}
        </Link>
      ),
    },
    { title: t('top.org_name'), dataIndex: 'org_name', key: 'org_name' },
    amount('deposits'),
    amount('loans'),
    amount('npl'),
  ];

  return (
    <>
      <ConditionsCard<TopValues>
        title={t('titles.top')}
        form={form}
        testId="query-top-form"
        initialValues={INITIAL}
        onSubmit={(v) => setBody(topBody(v))}
        submitTestId="top-submit"
        loading={top.isFetching}
      >
        <Row gutter={16}>
          <OrgField testId="top-org" />
          <Col {...FIELD_COL}>
            <Form.Item name="by" label={t('top.by')}>
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                options={TOP_MEASURES.map((m) => ({ value: m, label: t(`top.measures.${m}`) }))}
                data-testid="top-by"
              />
            </Form.Item>
          </Col>
          <Col {...FIELD_COL}>
            <Form.Item name="n" label={t('top.n')} rules={[{ required: true, type: 'integer', min: 1, max: TOP_N_MAX }]}>
              <InputNumber<number> min={1} max={TOP_N_MAX} precision={0} style={{ width: 120 }} data-testid="top-n" />
            </Form.Item>
          </Col>
        </Row>
      </ConditionsCard>
      <Card
        title={t('results')}
        size="small"
        extra={
          <QueryExportButton
            path="/api/query/top-corporate/export"
            filters={body}
            viewPermission="customer.view"
            fallbackName="top-corporate.xlsx"
            rows={top.isFetching ? undefined : rows.length}
          />
        }
      >
        {top.error ? <QueryError error={top.error} /> : null}
        {rows.length === 0 && !top.isFetching ? (
          <Empty description={t('top.empty')} data-testid="top-empty" />
        ) : (
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <TopChart rows={rows} by={body.by} loading={top.isFetching} />
            <DataTable<TopRow> testId="top-results" rowKey="customer_id" rows={rows} loading={top.isFetching} columns={columns} />
          </Space>
        )}
      </Card>
    </>
  );
}
