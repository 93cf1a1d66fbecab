import { useState } from 'react';
import { Button, Modal, Space, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../api/types';
import { DataTable } from '../../../components/DataTable';
import { useCan } from '../../auth/api/me';
import { useRoles } from '../api/listRoles';
import { useDeleteRole } from '../api/mutateRole';
import { RoleFormModal } from '../components/RoleFormModal';

export function RolesPage() {
  const { t } = useTranslation('roles');
  const { t: tc } = useTranslation();
  const [modal, modalHolder] = Modal.useModal();
  const can = useCan();
  const roles = useRoles();
  const del = useDeleteRole();
  const [editing, setEditing] = useState<Role | 'new' | null>(null);

  const confirmDelete = (r: Role) =>
    modal.confirm({
      title: t('deleteConfirm', { code: r.code }),
      okType: 'danger',
      okButtonProps: { 'data-testid': 'role-delete-confirm' },
      onOk: () => del.mutateAsync(r.id),
    });

  const columns = [
    { title: t('fields.code'), dataIndex: 'code', key: 'code' },
    { title: t('fields.name'), dataIndex: 'name', key: 'name' },
    { title: t('fields.nameEn'), dataIndex: 'name_en', key: 'name_en' },
    {
      title: t('fields.dataScope'),
      dataIndex: 'data_scope',
      key: 'data_scope',
      render: (v: Role['data_scope']) => t(`scopes.${v}`),
    },
    {
      title: t('fields.permissions'),
      key: 'permissions',
      render: (_: unknown, r: Role) => t('permissionCount', { count: r.permissions.length }),
    },
    {
      title: t('fields.builtin'),
      dataIndex: 'builtin',
      key: 'builtin',
      render: (v: boolean) => (v ? <Tag color="blue">{t('builtin')}</Tag> : null),
    },
    {
      title: tc('actions'),
      key: 'actions',
      render: (_: unknown, r: Role) => (
        <Space size={0}>
          {can('role.edit') || can('role.view') ? (
            <Button type="link" size="small" onClick={() => setEditing(r)} data-testid={`role-edit-${r.code}`}>
              {can('role.edit') && !r.builtin && r.org_id !== null ? tc('edit') : tc('view')}
            </Button>
          ) : null}
          {can('role.delete') && !r.builtin && (
            <Button type="link" size="small" danger onClick={() => confirmDelete(r)} data-testid={`role-delete-${r.code}`}>
              {tc('delete')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      {modalHolder}
      <DataTable<Role>
        testId="roles-table"
        rowKey="id"
        rows={roles.data}
        loading={roles.isFetching}
        columns={columns}
        toolbar={
          can('role.create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="role-create">
              {t('create')}
            </Button>
          )
        }
      />
      {editing && <RoleFormModal role={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </>
  );
}
