/** The modal forms behind the org page's buttons; each form is its own confirmation step. */
import { useMemo } from 'react';
import { Alert, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrgLevel, OrgNode } from '../../../api/types';
import { useCreateOrg, useMergeOrg, useMoveOrg, useRenameOrg } from '../api/mutateOrg';
import { childLevel, ORG_LEVELS, subtreeIds } from '../utils/tree';
import { OrgTreeSelect } from './OrgTreeSelect';

export type OrgAction = 'create' | 'rename' | 'move' | 'merge';

interface Props {
  action: OrgAction | null;
  org: OrgNode;
  onClose: () => void;
}

export function OrgActionModal({ action, org, onClose }: Props) {
  switch (action) {
    case 'create':
      return <CreateChildModal org={org} onClose={onClose} />;
    case 'rename':
      return <RenameModal org={org} onClose={onClose} />;
    case 'move':
      return <MoveModal org={org} onClose={onClose} />;
    case 'merge':
      return <MergeModal org={org} onClose={onClose} />;
    default:
      return null;
  }
}

interface ModalProps {
  org: OrgNode;
  onClose: () => void;
}

function CreateChildModal({ org, onClose }: ModalProps) {
  const { t } = useTranslation('orgs');
  const [form] = Form.useForm<{ code: string; name: string; level: OrgLevel }>();
  const create = useCreateOrg();
  const onOk = async () => {
    const v = await form.validateFields();
    create.mutate({ ...v, parent_id: org.id }, { onSuccess: onClose });
  };
  return (
    <Modal
      open
      title={t('actions.createChildOf', { name: org.name })}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'org-form-submit' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ level: childLevel(org.level) }}>
        <Form.Item name="code" label={t('fields.code')} rules={[{ required: true, max: 32 }]}>
          <Input data-testid="org-form-code" />
        </Form.Item>
        <Form.Item name="name" label={t('fields.name')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="org-form-name" />
        </Form.Item>
        <Form.Item name="level" label={t('fields.level')} rules={[{ required: true }]}>
          <Select
            data-testid="org-form-level"
            options={ORG_LEVELS.map((l) => ({ value: l, label: t(`levels.${l}`) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RenameModal({ org, onClose }: ModalProps) {
  const { t } = useTranslation('orgs');
  const [form] = Form.useForm<{ name: string }>();
  const rename = useRenameOrg();
  const onOk = async () => {
    const v = await form.validateFields();
    rename.mutate({ id: org.id, name: v.name }, { onSuccess: onClose });
  };
  return (
    <Modal
      open
      title={t('actions.renameTitle', { name: org.name })}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={rename.isPending}
      okButtonProps={{ 'data-testid': 'org-form-submit' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ name: org.name }}>
        <Form.Item name="name" label={t('fields.name')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="org-form-name" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function MoveModal({ org, onClose }: ModalProps) {
  const { t } = useTranslation('orgs');
  const [form] = Form.useForm<{ parent: number }>();
  const move = useMoveOrg();
  const exclude = useMemo(() => subtreeIds(org), [org]);
  const onOk = async () => {
    const v = await form.validateFields();
    move.mutate({ id: org.id, newParentId: v.parent }, { onSuccess: onClose });
  };
  return (
    <Modal
      open
      title={t('actions.moveTitle', { name: org.name })}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={move.isPending}
      okButtonProps={{ 'data-testid': 'org-form-submit' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="parent" label={t('fields.newParent')} rules={[{ required: true }]}>
          <OrgTreeSelect exclude={exclude} testId="org-form-parent" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function MergeModal({ org, onClose }: ModalProps) {
  const { t } = useTranslation('orgs');
  const [form] = Form.useForm<{ target: number }>();
  const merge = useMergeOrg();
  const exclude = useMemo(() => subtreeIds(org), [org]);
  const onOk = async () => {
    const v = await form.validateFields();
    merge.mutate({ id: org.id, intoOrgId: v.target }, { onSuccess: onClose });
  };
  return (
    <Modal
      open
      title={t('actions.mergeTitle', { name: org.name })}
      onOk={() => void onOk()}
      onCancel={onClose}
      okType="danger"
      confirmLoading={merge.isPending}
      okButtonProps={{ 'data-testid': 'org-form-submit' }}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('actions.mergeWarning')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical">
        <Form.Item name="target" label={t('fields.mergeTarget')} rules={[{ required: true }]}>
          <OrgTreeSelect exclude={exclude} testId="org-form-target" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
