import { useMemo } from 'react';
import { Form, Input, Modal, Select, Spin, Tree } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DataScope, Role } from '../../../api/types';
import { localized } from '../../../lib/format';
import { usePermissionCatalog } from '../api/listPermissions';
import { useCreateRole, useUpdateRole } from '../api/mutateRole';
import { checkedPermissions, permissionTree } from './permissionTree';

export const DATA_SCOPES: readonly DataScope[] = ['own', 'org', 'subtree', 'all'];

interface FormValues {
  code: string;
  name: string;
  name_en: string;
  data_scope: DataScope;
  permissions: string[];
}

/** Tree of checkable permissions used as a controlled form field. */
function PermissionPicker({
  value,
  onChange,
  disabled,
}: {
  value?: string[];
  onChange?: (v: string[]) => void;
  disabled?: boolean;
}) {
  const { t, i18n } = useTranslation('roles');
  const catalog = usePermissionCatalog();
  const treeData = useMemo(
    () =>
      permissionTree(
        catalog.data ?? [],
        (p) => localized(i18n.language, p.name_zh, p.name_en),
        (m) => t(`modules.${m}`, { defaultValue: m }),
      ),
    [catalog.data, i18n.language, t],
  );
  if (catalog.isPending) return <Spin />;
  return (
    <div style={{ maxHeight: 320, overflow: 'auto', border: '1px solid #f0f0f0', padding: 8 }}>
      <Tree
        checkable
        disabled={disabled}
        selectable={false}
        defaultExpandAll
        treeData={treeData}
        checkedKeys={value ?? []}
        onCheck={(checked) => onChange?.(checkedPermissions(Array.isArray(checked) ? checked : checked.checked))}
        data-testid="role-form-permissions"
      />
    </div>
  );
}

/** Create or edit a role; built-in and bank-wide roles (no owning org) open read-only, as the server keeps them. */
export function RoleFormModal({ role, onClose }: { role?: Role; onClose: () => void }) {
  const readOnly = !!role && (role.builtin || role.org_id === null);
  const { t } = useTranslation('roles');
  const [form] = Form.useForm<FormValues>();
  const create = useCreateRole();
  const update = useUpdateRole();

  const onOk = async () => {
    const v = await form.validateFields();
    if (role) {
      const { code: _code, ...body } = v;
      update.mutate({ id: role.id, body }, { onSuccess: onClose });
    } else {
      create.mutate(v, { onSuccess: onClose });
    }
  };

  return (
    <Modal
      open
      width={640}
      title={role ? t(readOnly ? 'form.viewTitle' : 'form.editTitle', { code: role.code }) : t('form.createTitle')}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={{ 'data-testid': 'role-form-submit', style: readOnly ? { display: 'none' } : undefined }}
      destroyOnHidden
    >
      <Form<FormValues>
        form={form}
        disabled={readOnly}
        layout="vertical"
        initialValues={
          role
            ? { code: role.code, name: role.name, name_en: role.name_en, data_scope: role.data_scope, permissions: role.permissions }
            : { data_scope: 'org', permissions: [] }
        }
      >
        <Form.Item
          name="code"
          label={t('fields.code')}
          rules={[{ required: true }, { pattern: /^[a-z][a-z0-9_]{1,63}$/, message: t('form.codePattern') }]}
        >
          <Input disabled={!!role} data-testid="role-form-code" />
        </Form.Item>
        <Form.Item name="name" label={t('fields.name')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="role-form-name" />
        </Form.Item>
        <Form.Item name="name_en" label={t('fields.nameEn')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="role-form-name-en" />
        </Form.Item>
        <Form.Item name="data_scope" label={t('fields.dataScope')} rules={[{ required: true }]}>
          <Select
            data-testid="role-form-scope"
            options={DATA_SCOPES.map((s) => ({ value: s, label: t(`scopes.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="permissions" label={t('fields.permissions')}>
          <PermissionPicker disabled={readOnly} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
