import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Totals } from '../api/types';
import { formatAmount, type Money } from '../utils/customer';

type Amount = Money;

function Kpi({ title, value, testId, strong = false }: { title: string; value: Amount; testId: string; strong?: boolean }) {
  const { i18n } = useTranslation('customers');
  return (
    <Card size="small" data-testid={testId}>
      <Statistic
        title={title}
        value={value === null || value === undefined ? '-' : formatAmount(value, i18n.language)}
        formatter={() => (value === null || value === undefined ? '-' : formatAmount(value, i18n.language))}
        styles={{ content: { fontSize: strong ? 22 : 18 } }}
      />
    </Card>
  );
}

function Averages({ title, mtd, qtd, ytd, testId }: { title: string; mtd: Amount; qtd: Amount; ytd: Amount; testId: string }) {
  const { t, i18n } = useTranslation('customers');
  const row = (label: string, v: Amount, id: string) => (
    <div style={{ display: 'flex', justifyContent: 'space-between', gap: 12 }}>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <Typography.Text data-testid={`${testId}-${id}`}>{v === null || v === undefined ? '-' : formatAmount(v, i18n.language)}</Typography.Text>
    </div>
  );
  return (
    <Card size="small" title={title} data-testid={testId}>
      {row(t('kpi.mtd'), mtd, 'mtd')}
      {row(t('kpi.qtd'), qtd, 'qtd')}
      {row(t('kpi.ytd'), ytd, 'ytd')}
    </Card>
  );
}

/** The customer's balances and daily averages (of the latest loaded date). */
export function KpiCards({ totals }: { totals: Totals | null }) {
  const { t } = useTranslation('customers');
  const v = (k: keyof Totals): Amount => (totals ? (typeof totals[k] === 'object' ? totals[k] : String(totals[k])) : null);
  const kpis: { key: keyof Totals; testId: string; strong?: boolean }[] = [
    { key: 'aum', testId: 'kpi-aum', strong: true },
    { key: 'deposits', testId: 'kpi-deposits' },
    { key: 'wealth', testId: 'kpi-wealth' },
    { key: 'loans', testId: 'kpi-loans' },
    { key: 'card_debt', testId: 'kpi-card_debt' },
    { key: 'housing_fund', testId: 'kpi-housing_fund' },
  ];
  return (
    <Row gutter={[12, 12]}>
      {kpis.map((k) => (
        <Col key={k.key} xs={12} md={8} xl={4}>
          <Kpi title={t(`kpi.${k.key}`)} value={v(k.key)} testId={k.testId} strong={k.strong} />
        </Col>
      ))}
      <Col xs={24} md={12}>
        <Averages
          title={t('kpi.depositsAvg')}
          mtd={v('deposits_mtd_avg')}
          qtd={v('deposits_qtd_avg')}
          ytd={v('deposits_ytd_avg')}
          testId="kpi-deposits-avg"
        />
      </Col>
      <Col xs={24} md={12}>
        <Averages title={t('kpi.aumAvg')} mtd={v('aum_mtd_avg')} qtd={v('aum_qtd_avg')} ytd={v('aum_ytd_avg')} testId="kpi-aum-avg" />
      </Col>
    </Row>
  );
}
