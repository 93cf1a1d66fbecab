/** QRY-2 定期一折通查询: fixed-term passbooks by org, open date and balance range. */
import { Form, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePassbooks } from '../api/queries';
import { AccountResults, type AccountColumn } from '../components/AccountResults';
import { BalanceRangeField, DateRangeField, OrgField } from '../components/ConditionFields';
import { ConditionsCard } from '../components/ConditionsCard';
import { QueryExportButton } from '../components/QueryExportButton';
import { passbookConditions, type RangeValues } from '../utils/query';
import { useAppliedConditions } from './useAppliedConditions';

const COLUMNS: readonly AccountColumn[] = [
  'account_no',
  'customer_no',
  'customer_name',
  'product',
  'balance',
  'mtd_avg',
  'open_date',
  'maturity_date',
  'rate',
  'status',
  'org_code',
  'as_of',
];

export function PassbookQueryPage() {
  const { t } = useTranslation('query');
  const [form] = Form.useForm<RangeValues>();
  const { conditions, body, sorting, paging, onSubmit, onSortChange } = useAppliedConditions(passbookConditions);
  const result = usePassbooks(body);

  return (
    <>
      <ConditionsCard<RangeValues>
        title={t('titles.passbooks')}
        form={form}
        testId="query-passbook-form"
        onSubmit={onSubmit}
        loading={result.isFetching}
      >
        <Row gutter={16}>
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
        extra={
          conditions && (
            <QueryExportButton
              path="/api/query/passbooks/export"
              filters={conditions}
              viewPermission="customer.view"
              fallbackName="passbooks.xlsx"
              rows={result.isFetching ? undefined : result.data?.total}
            />
          )
        }
      />
    </>
  );
}
