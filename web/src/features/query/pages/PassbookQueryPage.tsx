/** QRY-2 定期一折通查询: fixed-term passbooks by org, open date and balance range. */
import { useMemo, useState } from 'react';
import { Form, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePaging, type SortState } from '../../../components/DataTable';
import { usePassbooks } from '../api/queries';
import type { PassbookQuery } from '../api/types';
import { AccountResults, type AccountColumn } from '../components/AccountResults';
import { BalanceRangeField, DateRangeField, OrgField } from '../components/ConditionFields';
import { ConditionsCard } from '../components/ConditionsCard';
import { QueryExportButton } from '../components/QueryExportButton';
import { DEFAULT_SORT, passbookConditions, sortFromTable, type RangeValues } from '../utils/query';

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
  const [applied, setApplied] = useState<RangeValues | null>(null);
  const [sorting, setSorting] = useState(DEFAULT_SORT);
  const { page, pageSize, reset, paging } = usePaging();

  const conditions = useMemo(() => (applied ? passbookConditions(applied, sorting) : null), [applied, sorting]);
  const body: PassbookQuery | null = conditions ? { ...conditions, page, page_size: pageSize } : null;
  const result = usePassbooks(body);

  const onSubmit = (values: RangeValues) => {
    setApplied({ ...values });
    reset();
  };
  const onSortChange = (s: SortState) => {
    setSorting(sortFromTable(s));
    reset();
  };

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
            />
          )
        }
      />
    </>
  );
}
