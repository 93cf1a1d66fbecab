/** QRY-3 对公联动查询: corporate deposit accounts and credit by name, business type + account number, open date. */
import { useCallback } from 'react';
import { Col, Form, Input, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/api/me';
import { useCorporateAccounts } from '../api/queries';
import { ACCOUNT_COLUMNS, AccountResults } from '../components/AccountResults';
import { BalanceRangeField, DateRangeField, FIELD_COL, OrgField } from '../components/ConditionFields';
import { ConditionsCard } from '../components/ConditionsCard';
import { QueryExportButton } from '../components/QueryExportButton';
import {
  CORPORATE_PRODUCTS,
  corporateConditions,
  maySearchSensitive,
  type CorporateProduct,
  type CorporateValues,
  type Sorting,
} from '../utils/query';
import { useAppliedConditions } from './useAppliedConditions';

export function CorporateQueryPage() {
  const { t } = useTranslation('query');
  const can = useCan();
  const sensitive = maySearchSensitive(can);
  const [form] = Form.useForm<CorporateValues>();
  const toConditions = useCallback(
    (v: CorporateValues, sorting: Sorting) => corporateConditions(v, sorting, sensitive),
    [sensitive],
  );
  const { conditions, body, sorting, paging, onSubmit, onSortChange } = useAppliedConditions(toConditions);
  const result = useCorporateAccounts(body);

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
        columns={ACCOUNT_COLUMNS}
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
              rows={result.isFetching ? undefined : result.data?.total}
            />
          )
        }
      />
    </>
  );
}
