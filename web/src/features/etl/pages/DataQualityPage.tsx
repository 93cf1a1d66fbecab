import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { DqIssuesTab } from '../components/DqIssuesTab';
import { OrgMappingsTab } from '../components/OrgMappingsTab';

const TABS = ['issues', 'mappings'] as const;
type TabKey = (typeof TABS)[number];

/** Data quality: the issues the loads raised, and the source-system org mappings. The tab is kept in `?tab=`. */
export function DataQualityPage() {
  const { t } = useTranslation('etl');
  const [params, setParams] = useSearchParams();
  const raw = params.get('tab');
  const tab: TabKey = (TABS as readonly string[]).includes(raw ?? '') ? (raw as TabKey) : 'issues';

  return (
    <Tabs
      activeKey={tab}
      onChange={(k) => setParams(k === 'issues' ? {} : { tab: k }, { replace: true })}
      destroyOnHidden
      items={[
        { key: 'issues', label: <span data-testid="dq-tab-issues">{t('dq.tab')}</span>, children: <DqIssuesTab /> },
        { key: 'mappings', label: <span data-testid="dq-tab-mappings">{t('mappings.tab')}</span>, children: <OrgMappingsTab /> },
      ]}
    />
  );
}
