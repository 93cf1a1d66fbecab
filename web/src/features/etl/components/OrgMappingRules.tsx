import { Button, Card, Popconfirm, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../lib/format';
import { notifySuccess } from '../../../lib/notify';
import { useDeleteOrgMappingRule, type OrgMappingRule } from '../api/dq';

/** A prefix as shown in the rules table: empty ones as a dash. */
function prefixCell(v: string) {
  return v ? <Typography.Text code>{v}</Typography.Text> : <Typography.Text type="secondary">—</Typography.Text>;
}

/**
 * The source systems' prefix rules, with the button that adds one; editing and deleting only for `dq.edit`.
 * Deleting stops the rule for new codes; the mappings it made stay.
 */
export function OrgMappingRules({
  rules,
  loading,
  canEdit,
  onAdd,
  onEdit,
}: {
  rules: readonly OrgMappingRule[] | undefined;
  loading: boolean;
  canEdit: boolean;
  onAdd: () => void;
  onEdit: (rule: OrgMappingRule) => void;
}) {
  const { t } = useTranslation('etl');
  const del = useDeleteOrgMappingRule();

  const columns = [
    { title: t('mappings.fields.system'), dataIndex: 'system', key: 'system', width: 90 },
    { title: t('mappings.rules.fields.strip_prefix'), dataIndex: 'strip_prefix', key: 'strip_prefix', width: 120, render: prefixCell },
    { title: t('mappings.rules.fields.add_prefix'), dataIndex: 'add_prefix', key: 'add_prefix', width: 120, render: prefixCell },
    { title: t('mappings.rules.fields.updated_by'), dataIndex: 'updated_by', key: 'updated_by', width: 120 },
    {
      title: t('mappings.fields.updated_at'),
      dataIndex: 'updated_at',
      key: 'updated_at',
      width: 170,
      render: (v: string) => formatDateTime(v),
    },
    ...(canEdit
      ? [
          {
            title: t('dq.fields.actions'),
            key: 'actions',
            width: 140,
            render: (_: unknown, r: OrgMappingRule) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => onEdit(r)} data-testid={`rule-edit-${r.system}`}>
                  {t('mappings.rules.edit')}
                </Button>
                <Popconfirm
                  title={t('mappings.rules.deleteConfirm', { system: r.system })}
                  description={t('mappings.rules.deleteHint')}
                  okText={t('mappings.rules.delete')}
                  okButtonProps={{ danger: true, 'data-testid': 'rule-delete-confirm' }}
                  onConfirm={() =>
                    del
                      .mutateAsync(r.system)
                      .then(() => notifySuccess(t('mappings.rules.deleted', { system: r.system })))
                      .catch(() => undefined) // the client's toast shows the server's message
                  }
                >
                  <Button type="link" size="small" danger data-testid={`rule-delete-${r.system}`}>
                    {t('mappings.rules.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      size="small"
      title={t('mappings.rules.title')}
      extra={
        canEdit && (
          <Button size="small" icon={<PlusOutlined />} onClick={onAdd} data-testid="rules-add">
            {t('mappings.rules.add')}
          </Button>
        )
      }
      data-testid="org-mapping-rules"
    >
      {rules && rules.length === 0 ? (
        <Typography.Text type="secondary">{t('mappings.rules.none')}</Typography.Text>
      ) : (
        <Table<OrgMappingRule>
          size="small"
          bordered
          rowKey="system"
          loading={loading}
          dataSource={rules as OrgMappingRule[] | undefined}
          columns={columns}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="org-mapping-rules-table"
        />
      )}
    </Card>
  );
}
