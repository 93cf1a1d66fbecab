/** Condition fields the account queries share: org, open-date range and balance range. */
import { Col, DatePicker, Form, InputNumber, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/api/me';
import { OrgTreeSelect } from '../../orgs/components/OrgTreeSelect';

/** Grid column of one condition. */
export const FIELD_COL = { xs: 24, md: 12, xl: 8 } as const;

/** Org picker (the org and everything under it); shown to users who may read the org tree. */
export function OrgField({ testId = 'query-org' }: { testId?: string }) {
  const { t } = useTranslation('query');
  const can = useCan();
  if (!can('org.view')) return null;
  return (
    <Col {...FIELD_COL}>
      <Form.Item name="org_id" label={t('fields.org')}>
        <OrgTreeSelect allowClear activeOnly={false} placeholder={t('fields.orgPlaceholder')} testId={testId} style={{ width: '100%' }} />
      </Form.Item>
    </Col>
  );
}

/** A from–to pair of dates; the end may not be before the start. */
export function DateRangeField({ label, from, to }: { label: string; from: string; to: string }) {
  const { t } = useTranslation('query');
  return (
    <Col {...FIELD_COL}>
      <Form.Item label={label} required={false} style={{ marginBottom: 0 }}>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item name={from} style={{ width: '50%' }}>
            <DatePicker placeholder={t('fields.from')} style={{ width: '100%' }} data-testid={`query-${from}`} />
          </Form.Item>
          <Form.Item
            name={to}
            dependencies={[from]}
            style={{ width: '50%' }}
            rules={[
              ({ getFieldValue }) => ({
                validator: async (_, value: Dayjs | null | undefined) => {
                  const start = getFieldValue(from) as Dayjs | null | undefined;
                  if (start && value && value.isBefore(start, 'day')) throw new Error(t('validation.dateOrder'));
                },
              }),
            ]}
          >
            <DatePicker placeholder={t('fields.to')} style={{ width: '100%' }} data-testid={`query-${to}`} />
          </Form.Item>
        </Space.Compact>
      </Form.Item>
    </Col>
  );
}

/** Balance from–to (amounts with 2 decimals, thousands separators). */
export function BalanceRangeField() {
  const { t } = useTranslation('query');
  const amount = {
    precision: 2,
    formatter: (v: number | string | undefined) => (v === undefined || v === '' ? '' : `${v}`.replace(/\B(?=(\d{3})+(?!\d))/g, ',')),
    // antd's documented idiom: the parser's text is read back as the number.
    parser: (v: string | undefined) => (v ?? '').replace(/,/g, '') as unknown as number,
  };
  return (
    <Col {...FIELD_COL}>
      <Form.Item label={t('fields.balance')} style={{ marginBottom: 0 }}>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item name="balance_min" style={{ width: '50%' }}>
            <InputNumber<number> {...amount} style={{ width: '100%' }} placeholder={t('fields.min')} data-testid="query-balance_min" />
          </Form.Item>
          <Form.Item
            name="balance_max"
            dependencies={['balance_min']}
            style={{ width: '50%' }}
            rules={[
              ({ getFieldValue }) => ({
                validator: async (_, value: number | null | undefined) => {
                  const min = getFieldValue('balance_min') as number | null | undefined;
                  if (typeof min === 'number' && typeof value === 'number' && min > value) throw new Error(t('validation.balanceOrder'));
                },
              }),
            ]}
          >
            <InputNumber<number> {...amount} style={{ width: '100%' }} placeholder={t('fields.max')} data-testid="query-balance_max" />
          </Form.Item>
        </Space.Compact>
      </Form.Item>
    </Col>
  );
}
