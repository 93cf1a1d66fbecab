/** QRY-1 个人账户联动查询: personal accounts across savings, credit cards, housing fund and personal loans. */
import { useCallback } from 'react';
import { Checkbox, Col, Collapse, Form, Input, Row, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/api/me';
import { useCodeOptions } from '../../customers/api/codes';
import { usePersonalAccounts } from '../api/queries';
import { ACCOUNT_COLUMNS, AccountResults } from '../components/AccountResults';
import { BalanceRangeField, DateRangeField, FIELD_COL, OrgField } from '../components/ConditionFields';
import { ConditionsCard } from '../components/ConditionsCard';
import { QueryExportButton } from '../components/QueryExportButton';
import {
  FIVE_CLASSES,
  PERSONAL_SYSTEMS,
  maySearchSensitive,
  personalConditions,
  type PersonalValues,
  type Sorting,
} from '../utils/query';
import { useAppliedConditions } from './useAppliedConditions';

const INITIAL: PersonalValues = { systems: [...PERSONAL_SYSTEMS], overdue_only: false, five_class: [], products: [] };

export function PersonalQueryPage() {
  const { t } = useTranslation('query');
  const can = useCan();
  const sensitive = maySearchSensitive(can);
  const products = useCodeOptions('product');
  const [form] = Form.useForm<PersonalValues>();
  const toConditions = useCallback(
    (v: PersonalValues, sorting: Sorting) => personalConditions(v, sorting, sensitive),
    [sensitive],
  );
  const { conditions, body, sorting, paging, onSubmit, onSortChange } = useAppliedConditions(toConditions);
  const result = usePersonalAccounts(body);

  const systemOptions = PERSONAL_SYSTEMS.map((s) => ({ value: s, label: t(`systems.${s}`) }));
  // Corporate products are not held by persons; without the code table the codes are typed.
  const productOptions = products.options.filter((o) => !o.value.startsWith('CORP_'));

  return (
    <>
      <ConditionsCard<PersonalValues>
        title={t('titles.personal')}
        form={form}
        testId="query-personal-form"
        initialValues={INITIAL}
        onSubmit={onSubmit}
        loading={result.isFetching}
      >
        <Row gutter={16}>
          <Col {...FIELD_COL}>
            <Form.Item name="systems" label={t('fields.systems')} rules={[{ required: true, type: 'array', min: 1, message: t('validation.systemsRequired') }]}>
              <Checkbox.Group options={systemOptions} data-testid="query-systems" />
            </Form.Item>
          </Col>
          <Col {...FIELD_COL}>
            <Form.Item name="name" label={t('fields.name')}>
              <Input allowClear maxLength={50} placeholder={t('fields.namePlaceholder')} data-testid="query-name" />
            </Form.Item>
          </Col>
          {sensitive && (
            <>
              <Col {...FIELD_COL}>
                <Form.Item
                  name="id_no"
                  label={t('fields.id_no')}
                  rules={[{ pattern: /^[0-9Xx]{15,18}$/, message: t('validation.idNoPattern') }]}
                >
                  <Input allowClear maxLength={18} data-testid="query-id_no" />
                </Form.Item>
              </Col>
              <Col {...FIELD_COL}>
                <Form.Item
                  name="account_no"
                  label={t('fields.account_no')}
                  rules={[{ pattern: /^[0-9A-Za-z]{6,40}$/, message: t('validation.accountNoPattern') }]}
                >
                  <Input allowClear maxLength={40} data-testid="query-account_no" />
                </Form.Item>
              </Col>
            </>
          )}
          <OrgField />
        </Row>
        <Collapse
          ghost
          size="small"
          style={{ marginBottom: 16 }}
          items={[
            {
              key: 'more',
              label: t('more'),
              forceRender: true,
              children: (
                <Row gutter={16}>
                  <Col {...FIELD_COL}>
                    <Form.Item name="products" label={t('fields.products')}>
                      <Select
                        mode={products.available ? 'multiple' : 'tags'}
                        allowClear
                        maxCount={20}
                        placeholder={t('any')}
                        showSearch={{ optionFilterProp: 'label' }}
                        options={productOptions}
                        data-testid="query-products"
                      />
                    </Form.Item>
                  </Col>
                  <DateRangeField label={t('fields.open_date')} from="open_from" to="open_to" />
                  <BalanceRangeField />
                  <DateRangeField label={t('fields.maturity_date')} from="maturity_from" to="maturity_to" />
                  <Col {...FIELD_COL}>
                    <Form.Item name="five_class" label={t('fields.five_class')}>
                      <Checkbox.Group
                        options={FIVE_CLASSES.map((c) => ({ value: c, label: t(`fiveClass.${c}`) }))}
                        data-testid="query-five_class"
                      />
                    </Form.Item>
                  </Col>
                  <Col {...FIELD_COL}>
                    <Form.Item name="overdue_only" label={t('fields.overdue_only')} valuePropName="checked">
                      <Switch data-testid="query-overdue_only" />
                    </Form.Item>
                  </Col>
                </Row>
              ),
            },
          ]}
        />
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
        linkAs="personal"
        extra={
          conditions && (
            <QueryExportButton
              path="/api/query/personal-accounts/export"
              filters={conditions}
              viewPermission="customer.view"
              fallbackName="personal-accounts.xlsx"
              rows={result.isFetching ? undefined : result.data?.total}
            />
          )
        }
      />
    </>
  );
}
