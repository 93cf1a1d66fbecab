/** QRY-3 对公联动查询: corporate deposit accounts and credit by name, business type + account number, open date. */
import { useMemo, useState } from 'react';
import { Col, Form, Input, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePaging, type SortState } from '../../../components/DataTable';
import { useCan } from '../../auth/api/me';
import { useCorporateAccounts } from '../api/queries';
import type { CorporateQuery } from '../api/types';
import { AccountResults, type AccountColumn } from '../components/AccountResults';
import { BalanceRangeField, DateRangeField, FIELD_COL, OrgField } from '../components/ConditionFields';
import { ConditionsCard } from '../components/ConditionsCard';
import { QueryExportButton } from '../components/QueryExportButton';
import {
  CORPORATE_PRODUCTS,
  DEFAULT_SORT,
  corporateConditions,
  maySearchSensitive,
  sortFromTable,
  type CorporateProduct,
  type CorporateValues,
} from '../utils/query';

const COLUMNS: readonly AccountColumn[] = [
  'system',
  'account_no',
  'customer_no',
  'customer_name',
  'product',
  'balance',
  'mtd_avg',
  'open_date',
  'maturity_date',
  'rate',
  'amount',
  'five_class',
  'overdue_days',
  'status',
  'org_code',
  'as_of',
];

export function CorporateQueryPage() {
  const { t } = useTranslation('query');
  const can = useCan();
  const sensitive = maySearchSensitive(can);
  const [form] = Form.useForm<CorporateValues>();
  const [applied, setApplied] = useState<CorporateValues | null>(null);
  const [sorting, setSorting] = useState(DEFAULT_SORT);
  const { page, pageSize, reset, paging } = usePaging();

  const conditions = useMemo(
    () => (applied ? corporateConditions(applied, sorting, sensitive) : null),
    [applied, sorting, sensitive],
  );
  const body: CorporateQuery | null = conditions ? { ...conditions, page, page_size: pageSize } : null;
  const result = useCorporateAccounts(body);

  const onSubmit = (values: CorporateValues) => {
    setApplied({ ...values });
    reset();
  };
  const onSortChange = (s: SortState) => {
    setSorting(sortFromTable(s));
    reset();
  };

  return (
    <>
      <ConditionsCard<CorporateValues>
        title={t('titles.corporate')}
        form={form}
        testId="query-corporate-form"
        onSubmit={onSubmit}
        loading={result.isFetching}
      >
        <Row gutter={16}>
          <Col {...FIELD_COL}>
            <Form.Item name="name" label={t('fields.name')}>
              <Input allowClear maxLength={100} placeholder={t('fields.namePlaceholder')} data-testid="query-name" />
            </Form.Item>
          </Col>
          <Col {...FIELD_COL}>
            <Form.Item name="product" label={t('fields.product')}>
              <Select<CorporateProduct>
                allowClear
                placeholder={t('any')}
                options={CORPORATE_PRODUCTS.map((p) => ({ value: p, label: t(`corpProducts.${p}`) }))}
                data-testid="query-product"
              />
            </Form.Item>
          </Col>
          {sensitive && (
            <Col {...FIELD_COL}>
              <Form.Item
                name="account_no"
                label={t('fields.account_no')}
                rules={[{ pattern: /^[0-9A-Za-z]{6,40}$/, message: t('validation.accountNoPattern') }]}
              >
                <Input allowClear maxLength={40} data-testid="query-account_no" />
              </Form.Item>
            </Col>
          )}
          <OrgField />
          <DateRangeField label={t('fields.open_date')} from="open_from" to="open_to" />
          <BalanceRangeField />
        </Row>
      </ConditionsCard>
      <AccountResults
        queried={conditions !== null}
        data={result.data}
        loading={result.isFetching}
        error={result.error}
        columns={COLUMNS}
        sorting={sorting}
        onSortChange={onSortChange}
        paging={paging(result.data?.total)}
        linkAs="corporate"
        extra={
          conditions && (
            <QueryExportButton
              path="/api/query/corporate/export"
              filters={conditions}
              viewPermission="customer.view"
              fallbackName="corporate-query.xlsx"
            />
          )
        }
      />
    </>
  );
}
