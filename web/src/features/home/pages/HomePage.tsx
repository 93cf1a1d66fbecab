import { useMemo } from 'react';
import { Col, Descriptions, Row, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Chart, type EChartOption } from '../../../components/Chart';
import { Panel } from '../../../components/Panel';
import { localized } from '../../../lib/format';
import { useMe } from '../../auth/api/me';
import { useOrgTree } from '../../orgs/api/getOrgTree';
import { countByLevel } from '../../orgs/utils/tree';

export function HomePage() {
  const { t, i18n } = useTranslation();
  const { t: to } = useTranslation('orgs');
  const { t: tr } = useTranslation('roles');
  const me = useMe().data;
  const canSeeOrgs = me?.permissions.includes('org.view') ?? false;
  const tree = useOrgTree(canSeeOrgs);

  const option = useMemo<EChartOption>(() => {
    const counts = countByLevel(tree.data ?? []);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [to('status.active'), to('status.closed')] },
      grid: { left: 40, right: 16, bottom: 30, top: 40, containLabel: true },
      xAxis: { type: 'category', data: counts.map((c) => to(`levels.${c.level}`)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: to('status.active'), type: 'bar', stack: 'n', data: counts.map((c) => c.active) },
        { name: to('status.closed'), type: 'bar', stack: 'n', data: counts.map((c) => c.closed) },
      ],
    };
  }, [tree.data, to]);

  if (!me) return null;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10}>
        <Panel title={t('home.welcome', { name: me.display_name })} data-testid="welcome-card">
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('home.username')}>{me.username}</Descriptions.Item>
            <Descriptions.Item label={t('home.org')}>{me.org_name}</Descriptions.Item>
            <Descriptions.Item label={t('home.roles')}>
              <Space size={[0, 4]} wrap>
                {me.roles.map((r) => (
                  <Tag key={r.id}>{localized(i18n.language, r.name, r.name_en)}</Tag>
                ))}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('home.dataScope')}>
              <span data-testid="welcome-scope">{tr(`scopes.${me.data_scope}`)}</span>
            </Descriptions.Item>
          </Descriptions>
        </Panel>
      </Col>
      {canSeeOrgs && (
        <Col xs={24} lg={14}>
          <Panel title={t('home.orgChart')}>
            <Chart option={option} height={280} loading={tree.isPending} testId="org-level-chart" />
          </Panel>
        </Col>
      )}
    </Row>
  );
}
