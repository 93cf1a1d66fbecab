import { useMemo, useState } from 'react';
import { Button, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrgMapping } from '../../../api/types';
import { DataTable, usePaging } from '../../../components/DataTable';
import { formatDateTime } from '../../../lib/format';
import { useCan } from '../../auth/api/me';
import { useOrgTree } from '../../orgs/api/getOrgTree';
import { flattenOrgs } from '../../orgs/utils/tree';
import { useOrgMappingRules, useOrgMappings, type OrgMappingRule } from '../api/dq';
import { MapOrgModal } from './MapOrgModal';
import { OrgMappingRuleModal } from './OrgMappingRuleModal';
import { OrgMappingRules } from './OrgMappingRules';

/**
 * Source-system org codes and the bank org each maps to; unmapped ones first to be fixed, one by one or
 * a whole system at once by a prefix rule.
 */
export function OrgMappingsTab() {
  const { t } = useTranslation('etl');
  const can = useCan();
  const { page, pageSize, reset, paging } = usePaging();
  const [unmappedOnly, setUnmappedOnly] = useState(true);
  const mappings = useOrgMappings({ unmapped_only: unmappedOnly, page, page_size: pageSize });
  const tree = useOrgTree();
  const orgNames = useMemo(() => new Map(flattenOrgs(tree.data ?? []).map((o) => [o.id, o.name])), [tree.data]);
  const [mapping, setMapping] = useState<OrgMapping | null>(null);
  const rules = useOrgMappingRules();
  /** The rule modal: `{}` adds a rule, `{ rule }` edits one. */
  const [ruleEditing, setRuleEditing] = useState<{ rule?: OrgMappingRule } | null>(null);
  const canEdit = can('dq.edit');
  const rows = mappings.data?.items;
  const systems = useMemo(
    () => [...new Set([...(rows ?? []).map((m) => m.system), ...(rules.data ?? []).map((r) => r.system)])].sort(),
    [rows, rules.data],
  );

  const columns = [
    { title: t('mappings.fields.system'), dataIndex: 'system', key: 'system', width: 90 },
    { title: t('mappings.fields.src_code'), dataIndex: 'src_code', key: 'src_code', width: 130 },
    { title: t('mappings.fields.src_name'), dataIndex: 'src_name', key: 'src_name', width: 200, render: (v: string | null) => v ?? '' },
    {
      title: t('mappings.fields.org'),
      dataIndex: 'org_id',
      key: 'org_id',
      width: 200,
      render: (v: number | null, r: OrgMapping) =>
        v === null ? (
          <Typography.Text type="danger" data-testid={`map-org-${r.system}-${r.src_code}`}>
            {t('mappings.unmapped')}
          </Typography.Text>
        ) : (
          <span data-testid={`map-org-${r.system}-${r.src_code}`}>{orgNames.get(v) ?? `#${v}`}</span>
        ),
    },
    {
      title: t('mappings.fields.method'),
      dataIndex: 'method',
      key: 'method',
      width: 100,
      render: (v: string | null) => (v ? t(`mappings.methods.${v}`, { defaultValue: v }) : ''),
    },
    {
      title: t('mappings.fields.updated_at'),
      dataIndex: 'updated_at',
      key: 'updated_at',
      width: 170,
      render: (v: string | null) => formatDateTime(v),
    },
    ...(canEdit
      ? [
          {
            title: t('dq.fields.actions'),
            key: 'actions',
            width: 90,
            fixed: 'right' as const,
            render: (_: unknown, r: OrgMapping) => (
              <Button type="link" size="small" onClick={() => setMapping(r)} data-testid={`map-${r.system}-${r.src_code}`}>
                {t('mappings.map')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <OrgMappingRules
        rules={rules.data}
        loading={rules.isFetching}
        canEdit={canEdit}
        onAdd={() => setRuleEditing({})}
        onEdit={(rule) => setRuleEditing({ rule })}
      />
      <DataTable<OrgMapping & { key: string }>
        testId="org-mappings-table"
        rowKey="key"
        rows={rows?.map((m) => ({ ...m, key: `${m.system}/${m.src_code}` }))}
        loading={mappings.isFetching}
        columns={columns}
        paging={paging(mappings.data?.total)}
        toolbar={
          <Space>
            <Switch
              checked={unmappedOnly}
              onChange={(v) => {
                setUnmappedOnly(v);
                reset();
              }}
              data-testid="mappings-unmapped-only"
            />
            <span>{t('mappings.unmappedOnly')}</span>
          </Space>
        }
      />
      {mapping && <MapOrgModal mapping={mapping} onClose={() => setMapping(null)} />}
      {ruleEditing && (
        <OrgMappingRuleModal rule={ruleEditing.rule} systems={systems} mappings={rows ?? []} onClose={() => setRuleEditing(null)} />
      )}
    </Space>
  );
}
