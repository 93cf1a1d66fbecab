import { useMemo, useState } from 'react';
import { Button, Card, Col, Descriptions, Empty, Modal, Row, Space, Spin, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useTranslation } from 'react-i18next';
import type { OrgHistoryEntry, OrgNode } from '../../../api/types';
import { DataTable } from '../../../components/DataTable';
import { formatDateTime, jsonText } from '../../../lib/format';
import { useCan } from '../../auth/api/me';
import { useOrgHistory } from '../api/getOrgHistory';
import { useOrgTree } from '../api/getOrgTree';
import { useCloseOrg } from '../api/mutateOrg';
import { OrgActionModal, type OrgAction } from '../components/OrgActionModals';
import { OrgImportDialog } from '../components/OrgImportDialog';
import { findOrg } from '../utils/tree';

function toTreeData(nodes: readonly OrgNode[]): DataNode[] {
  return nodes.map((n) => ({
    key: n.id,
    title: (
      <span data-testid={`org-node-${n.code}`}>
        <Typography.Text delete={n.status === 'closed'}>{n.name}</Typography.Text>{' '}
        <Typography.Text type="secondary">{n.code}</Typography.Text>
      </span>
    ),
    children: toTreeData(n.children),
  }));
}

export function OrgsPage() {
  const { t } = useTranslation('orgs');
  const { t: tc } = useTranslation();
  const [modal, modalHolder] = Modal.useModal();
  const can = useCan();
  const tree = useOrgTree();
  const [selectedId, setSelectedId] = useState<number | undefined>();
  const [action, setAction] = useState<OrgAction | null>(null);
  const [importing, setImporting] = useState(false);
  // An import creates, renames and moves orgs: it needs all three rights (and, on the server, the whole tree).
  const canImport = can('org.create') && can('org.edit') && can('org.move');
  const closeOrg = useCloseOrg();

  const treeData = useMemo(() => toTreeData(tree.data ?? []), [tree.data]);
  const selected = selectedId === undefined ? undefined : findOrg(tree.data ?? [], selectedId);
  const history = useOrgHistory(selected?.id);
  const active = selected?.status === 'active';

  const confirmClose = (org: OrgNode) => {
    modal.confirm({
      title: t('actions.closeTitle', { name: org.name }),
      content: t('actions.closeWarning'),
      okType: 'danger',
      okButtonProps: { 'data-testid': 'org-close-confirm' },
      onOk: () => closeOrg.mutateAsync({ id: org.id }),
    });
  };

  const historyColumns = [
    { title: t('history.at'), dataIndex: 'at', render: (v: string) => formatDateTime(v), width: 170 },
    { title: t('history.action'), dataIndex: 'action', width: 120 },
    { title: t('history.actor'), dataIndex: 'actor_username', width: 120 },
    {
      title: t('history.detail'),
      dataIndex: 'detail',
      render: (v: unknown) => (
        <Typography.Text code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
          {jsonText(v)}
        </Typography.Text>
      ),
    },
  ];

  return (
    <Row gutter={16}>
      <Col xs={24} md={9}>
        <Card
          title={t('title')}
          size="small"
          extra={
            canImport && (
              <Button size="small" onClick={() => setImporting(true)} data-testid="org-import">
                {t('import.button')}
              </Button>
            )
          }
        >
          {tree.isPending ? (
            <Spin />
          ) : (
            <Tree
              data-testid="org-tree"
              treeData={treeData}
              defaultExpandAll
              selectedKeys={selectedId === undefined ? [] : [selectedId]}
              onSelect={(keys) => setSelectedId(keys.length ? Number(keys[0]) : undefined)}
            />
          )}
        </Card>
      </Col>
      <Col xs={24} md={15}>
        {!selected ? (
          <Card size="small">
            <Empty description={t('selectHint')} />
          </Card>
        ) : (
          <Space orientation="vertical" style={{ width: '100%' }} size="middle">
            <Card
              size="small"
              title={selected.name}
              extra={
                <Space wrap>
                  {can('org.create') && active && (
                    <Button size="small" onClick={() => setAction('create')} data-testid="org-create-child">
                      {t('actions.createChild')}
                    </Button>
                  )}
                  {can('org.edit') && active && (
                    <Button size="small" onClick={() => setAction('rename')} data-testid="org-rename">
                      {t('actions.rename')}
                    </Button>
                  )}
                  {can('org.move') && active && selected.parent_id !== null && (
                    <Button size="small" onClick={() => setAction('move')} data-testid="org-move">
                      {t('actions.move')}
                    </Button>
                  )}
                  {can('org.merge') && active && selected.parent_id !== null && (
                    <Button size="small" onClick={() => setAction('merge')} data-testid="org-merge">
                      {t('actions.merge')}
                    </Button>
                  )}
                  {can('org.close') && active && selected.parent_id !== null && (
                    <Button size="small" danger onClick={() => confirmClose(selected)} data-testid="org-close">
                      {t('actions.close')}
                    </Button>
                  )}
                </Space>
              }
            >
              <Descriptions size="small" column={{ xs: 1, sm: 2 }} data-testid="org-detail">
                <Descriptions.Item label={t('fields.code')}>{selected.code}</Descriptions.Item>
                <Descriptions.Item label={t('fields.name')}>{selected.name}</Descriptions.Item>
                <Descriptions.Item label={t('fields.level')}>{t(`levels.${selected.level}`)}</Descriptions.Item>
                <Descriptions.Item label={t('fields.status')}>
                  <Tag color={active ? 'green' : 'default'}>{t(`status.${selected.status}`)}</Tag>
                </Descriptions.Item>
                <Descriptions.Item label={t('fields.path')} span={2}>
                  <Typography.Text code>{selected.path}</Typography.Text>
                </Descriptions.Item>
              </Descriptions>
            </Card>
            <Card size="small" title={t('history.title')}>
              <DataTable<OrgHistoryEntry>
                testId="org-history"
                rowKey="id"
                rows={history.data}
                loading={history.isFetching}
                columns={historyColumns}
                locale={{ emptyText: tc('noData') }}
              />
            </Card>
          </Space>
        )}
      </Col>
      {selected && action && <OrgActionModal action={action} org={selected} onClose={() => setAction(null)} />}
      {importing && <OrgImportDialog onClose={() => setImporting(false)} />}
      {modalHolder}
    </Row>
  );
}
