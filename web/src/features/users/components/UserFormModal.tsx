import { Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User, UserWithPassword } from '../../../api/types';
import { OrgTreeSelect } from '../../orgs/components/OrgTreeSelect';
import { useRoles } from '../../roles/api/listRoles';
import { useCreateUser, useUpdateUser } from '../api/mutateUser';
import { localized } from '../../../lib/format';

interface FormValues {
  username: string;
  display_name: string;
  org_id: number;
  role_ids: number[];
}

/** Create (user absent) or edit a user. A created user's initial password goes to `onCreated`. */
export function UserFormModal({
  user,
  onClose,
  onCreated,
}: {
  user?: User;
  onClose: () => void;
  onCreated: (result: UserWithPassword) => void;
}) {
  const { t, i18n } = useTranslation('users');
  const [form] = Form.useForm<FormValues>();
  const roles = useRoles();
  const create = useCreateUser();
  const update = useUpdateUser();

  const onOk = async () => {
    const v = await form.validateFields();
    if (user) {
      update.mutate(
        { id: user.id, body: { display_name: v.display_name, org_id: v.org_id, role_ids: v.role_ids } },
        { onSuccess: onClose },
      );
    } else {
      create.mutate(v, {
        onSuccess: (result) => {
          onClose();
          onCreated(result);
        },
      });
    }
  };

  return (
    <Modal
      open
      title={user ? t('form.editTitle', { username: user.username }) : t('form.createTitle')}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={{ 'data-testid': 'user-form-submit' }}
      destroyOnHidden
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={
          user
            ? { username: user.username, display_name: user.display_name, org_id: user.org_id, role_ids: user.roles.map((r) => r.id) }
            : { role_ids: [] }
        }
      >
        <Form.Item
          name="username"
          label={t('fields.username')}
          rules={[
            { required: true },
            { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$/, message: t('form.usernamePattern') },
          ]}
        >
          <Input disabled={!!user} data-testid="user-form-username" autoComplete="off" />
        </Form.Item>
        <Form.Item name="display_name" label={t('fields.displayName')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="user-form-display-name" />
        </Form.Item>
        <Form.Item name="org_id" label={t('fields.org')} rules={[{ required: true }]}>
          <OrgTreeSelect testId="user-form-org" />
        </Form.Item>
        <Form.Item name="role_ids" label={t('fields.roles')}>
          <Select
            mode="multiple"
            data-testid="user-form-roles"
            loading={roles.isPending}
            optionFilterProp="label"
            options={(roles.data ?? []).map((r) => ({ value: r.id, label: localized(i18n.language, r.name, r.name_en) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
