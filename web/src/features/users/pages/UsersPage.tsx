import { useState } from 'react';
import { Button, Input, Modal, Space, Tag, Tooltip } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { User, UserWithPassword } from '../../../api/types';
import { DataTable, usePaging } from '../../../components/DataTable';
import { ExportButton } from '../../../components/ExportButton';
import { formatDateTime, localized } from '../../../lib/format';
import { useCan } from '../../auth/api/me';
import { OrgTreeSelect } from '../../orgs/components/OrgTreeSelect';
import { useUsers } from '../api/listUsers';
import { useDisableUser, useEnableUser, useResetUserPassword, useUnlockUser } from '../api/mutateUser';
import { InitialPasswordModal } from '../components/InitialPasswordModal';
import { UserFormModal } from '../components/UserFormModal';

export function isLocked(user: Pick<User, 'locked_until'>, now: Date = new Date()): boolean {
  return !!user.locked_until && new Date(user.locked_until).getTime() > now.getTime();
}

export function UsersPage() {
  const { t, i18n } = useTranslation('users');
  const { t: tc } = useTranslation();
  const [modal, modalHolder] = Modal.useModal();
  const can = useCan();
  const { page, pageSize, reset, paging } = usePaging();
  const [q, setQ] = useState('');
  const [orgId, setOrgId] = useState<number | undefined>();
  const users = useUsers({ page, page_size: pageSize, q, org_id: orgId });
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [issued, setIssued] = useState<UserWithPassword | null>(null);
  const disable = useDisableUser();
  const enable = useEnableUser();
  const unlock = useUnlockUser();
  const resetPw = useResetUserPassword();

  const confirmReset = (u: User) =>
    modal.confirm({
      title: t('actions.resetConfirm', { username: u.username }),
      okButtonProps: { 'data-testid': 'user-reset-confirm' },
      onOk: () => resetPw.mutateAsync(u.id).then(setIssued),
    });
  const confirmDisable = (u: User) =>
    modal.confirm({
      title: t('actions.disableConfirm', { username: u.username }),
      okType: 'danger',
      okButtonProps: { 'data-testid': 'user-disable-confirm' },
      onOk: () => disable.mutateAsync(u.id),
    });

  const columns = [
    { title: t('fields.username'), dataIndex: 'username', key: 'username' },
    { title: t('fields.displayName'), dataIndex: 'display_name', key: 'display_name' },
    { title: t('fields.org'), dataIndex: 'org_name', key: 'org_name' },
    {
      title: t('fields.roles'),
      key: 'roles',
      render: (_: unknown, u: User) => (
        <Space size={[0, 4]} wrap>
          {u.roles.map((r) => (
            <Tag key={r.id}>{localized(i18n.language, r.name, r.name_en)}</Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('fields.status'),
      key: 'status',
      render: (_: unknown, u: User) => (
        <Space size={[0, 4]} wrap>
          <Tag color={u.status === 'active' ? 'green' : 'default'}>{t(`status.${u.status}`)}</Tag>
          {isLocked(u) && (
            <Tooltip title={formatDateTime(u.locked_until)}>
              <Tag color="red">{t('status.locked')}</Tag>
            </Tooltip>
          )}
          {u.must_change_password && <Tag color="orange">{t('status.mustChange')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('fields.lastLogin'),
      dataIndex: 'last_login_at',
      key: 'last_login_at',
      render: (v: string | null) => formatDateTime(v),
    },
    {
      title: tc('actions'),
      key: 'actions',
      fixed: 'right' as const,
      render: (_: unknown, u: User) => (
        <Space size={0} wrap>
          {can('user.edit') && (
            <Button type="link" size="small" onClick={() => setEditing(u)} data-testid={`user-edit-${u.username}`}>
              {tc('edit')}
            </Button>
          )}
          {can('user.disable') &&
            (u.status === 'active' ? (
              <Button type="link" size="small" danger onClick={() => confirmDisable(u)} data-testid={`user-disable-${u.username}`}>
                {t('actions.disable')}
              </Button>
            ) : (
              <Button type="link" size="small" onClick={() => enable.mutate(u.id)} data-testid={`user-enable-${u.username}`}>
                {t('actions.enable')}
              </Button>
            ))}
          {can('user.reset_password') && (
            <Button type="link" size="small" onClick={() => confirmReset(u)} data-testid={`user-reset-${u.username}`}>
              {t('actions.resetPassword')}
            </Button>
          )}
          {can('user.unlock') && isLocked(u) && (
            <Button type="link" size="small" onClick={() => unlock.mutate(u.id)} data-testid={`user-unlock-${u.username}`}>
              {t('actions.unlock')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      {modalHolder}
      <DataTable<User>
        testId="users-table"
        rowKey="id"
        rows={users.data?.items}
        loading={users.isFetching}
        columns={columns}
        paging={paging(users.data?.total)}
        toolbar={
          <>
            <OrgTreeSelect
              allowClear
              activeOnly={false}
              value={orgId}
              placeholder={t('filters.org')}
              onChange={(v) => {
                setOrgId(v);
                reset();
              }}
              testId="user-filter-org"
            />
            <Input.Search
              allowClear
              placeholder={t('filters.keyword')}
              onSearch={(v) => {
                setQ(v.trim());
                reset();
              }}
              style={{ width: 240 }}
              data-testid="user-filter-q"
            />
            {can('user.create') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="user-create">
                {t('actions.create')}
              </Button>
            )}
            <ExportButton
              path="/api/users/export"
              filters={{ q: q || null, org_id: orgId ?? null }}
              viewPermission="user.view"
              fallbackName="users.xlsx"
            />
          </>
        }
      />
      {editing && (
        <UserFormModal user={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} onCreated={setIssued} />
      )}
      {issued && (
        <InitialPasswordModal username={issued.user.username} password={issued.initial_password} onClose={() => setIssued(null)} />
      )}
    </>
  );
}
