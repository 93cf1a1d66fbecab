import { useState } from 'react';
import { Alert, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/errors';
import { notifySuccess } from '../../../lib/notify';
import { useUpdateCustomer } from '../api/customer360';
import type { CodeOptions } from '../api/codes';
import type { CustomerProfile, CustomerUpdate } from '../api/types';
import { errorField, isMasked } from '../utils/customer';

export const EDITABLE = ['name', 'id_type', 'id_no', 'phone', 'address', 'email', 'industry'] as const;
export type EditableField = (typeof EDITABLE)[number];
type EditForm = Partial<Record<EditableField, string>>;

function isEditable(f: string | undefined): f is EditableField {
  return f !== undefined && (EDITABLE as readonly string[]).includes(f);
}

/**
 * Only the fields the user changed are sent. A masked value (the user may not see it in clear)
 * starts empty: left empty it is kept, typed over it is replaced.
 */
export function changedFields(profile: CustomerProfile, values: EditForm): CustomerUpdate {
  const body: CustomerUpdate = {};
  for (const f of EDITABLE) {
    const raw = values[f];
    if (raw === undefined) continue; // not in the form: unchanged
    const before = profile[f] ?? '';
    const after = raw.trim();
    if (isMasked(before)) {
      if (after !== '') body[f] = after;
    } else if (after !== before) {
      body[f] = after;
    }
  }
  return body;
}

/** 编辑资料: the customer's maintainable fields; server refusals are shown on the field they name. */
export function EditCustomerModal({
  profile,
  idTypes,
  industries,
  onClose,
}: {
  profile: CustomerProfile;
  idTypes: CodeOptions;
  industries: CodeOptions;
  onClose: () => void;
}) {
  const { t } = useTranslation('customers');
  const [form] = Form.useForm<EditForm>();
  const update = useUpdateCustomer();
  const [error, setError] = useState<{ type: 'error' | 'info'; text: string } | null>(null);

  const initial: EditForm = Object.fromEntries(
    EDITABLE.map((f) => [f, isMasked(profile[f]) ? '' : (profile[f] ?? '')]),
  );
  const maskedExtra = (f: EditableField) => (isMasked(profile[f]) ? t('edit.maskedHint', { value: profile[f] }) : undefined);

  const onOk = async () => {
    let v: EditForm;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const body = changedFields(profile, v);
    if (Object.keys(body).length === 0) {
      setError({ type: 'info', text: t('edit.nothing') });
      return;
    }
    setError(null);
    update.mutate(
      { id: profile.id, body },
      {
        onSuccess: () => {
          notifySuccess(t('edit.saved'));
          onClose();
        },
        onError: (e) => {
          const field = e instanceof ApiError ? errorField(e.details) : undefined;
          if (e instanceof ApiError && isEditable(field)) {
            form.setFields([{ name: field, errors: [e.message] }]);
          } else {
            setError({ type: 'error', text: e instanceof ApiError ? e.message : t('saveFailed') });
          }
        },
      },
    );
  };

  return (
    <Modal
      open
      width={640}
      title={t('edit.title')}
      okText={t('edit.submit')}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={update.isPending}
      okButtonProps={{ 'data-testid': 'edit-submit' } as Record<string, string>}
      destroyOnHidden
      mask={{ closable: false }}
      // On the visible panel (the modal root itself counts as hidden for browser tests).
      modalRender={(node) => <div data-testid="edit-modal">{node}</div>}
    >
      {error && <Alert type={error.type} showIcon title={error.text} style={{ marginBottom: 16 }} data-testid="edit-error" />}
      <Form form={form} layout="vertical" initialValues={initial}>
        <Form.Item name="name" label={t('fields.name')} rules={[{ required: true, whitespace: true, message: t('edit.nameRequired') }]}>
          <Input maxLength={200} data-testid="edit-name" />
        </Form.Item>
        <Form.Item name="id_type" label={t('fields.id_type')}>
          {idTypes.available ? (
            <Select showSearch={{ optionFilterProp: 'label' }} options={idTypes.options} data-testid="edit-id_type" />
          ) : (
            <Input maxLength={3} data-testid="edit-id_type" />
          )}
        </Form.Item>
        <Form.Item
          name="id_no"
          label={t('fields.id_no')}
          extra={maskedExtra('id_no')}
          rules={[{ pattern: /^[0-9A-Za-z]{6,32}$/, message: t('edit.idNoPattern') }]}
        >
          <Input maxLength={32} placeholder={isMasked(profile.id_no) ? profile.id_no : undefined} data-testid="edit-id_no" />
        </Form.Item>
        <Form.Item name="phone" label={t('fields.phone')} extra={maskedExtra('phone')}>
          <Input maxLength={20} placeholder={isMasked(profile.phone) ? (profile.phone ?? undefined) : undefined} data-testid="edit-phone" />
        </Form.Item>
        <Form.Item name="address" label={t('fields.address')} extra={maskedExtra('address')}>
          <Input maxLength={300} placeholder={isMasked(profile.address) ? (profile.address ?? undefined) : undefined} data-testid="edit-address" />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('fields.email')}
          extra={maskedExtra('email')}
          rules={[{ pattern: /^[^@\s]{1,64}@[^@\s]{1,90}\.[A-Za-z]{2,}$/, message: t('edit.emailInvalid') }]}
        >
          <Input maxLength={100} placeholder={isMasked(profile.email) ? (profile.email ?? undefined) : undefined} data-testid="edit-email" />
        </Form.Item>
        <Form.Item
          name="industry"
          label={t('fields.industry')}
          extra={profile.type === 'personal' ? t('edit.clearHint') : undefined}
          // A cleared select gives undefined; an empty string is what clears the field on the server.
          normalize={(v: string | undefined | null) => v ?? ''}
          // A select shows its placeholder for "no industry" (an input shows the empty string itself).
          getValueProps={industries.available ? (v: string | undefined) => ({ value: v || undefined }) : undefined}
        >
          {industries.available ? (
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={industries.options} data-testid="edit-industry" />
          ) : (
            <Input maxLength={8} data-testid="edit-industry" />
          )}
        </Form.Item>
      </Form>
    </Modal>
  );
}
