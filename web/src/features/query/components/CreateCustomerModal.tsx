/**
 * 建立新客户: a customer entered by staff with the selected accounts attached (POST /api/customers, all or
 * nothing); on success the new customer's 360 page opens. Refusals naming a field are shown on it.
 */
import { useState } from 'react';
import { Alert, Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../../../api/errors';
import { notifySuccess } from '../../../lib/notify';
import { useCan, useMe } from '../../auth/api/me';
import { useCodeOptions } from '../../customers/api/codes';
import { customerPath } from '../../customers/utils/customer';
import { OrgTreeSelect } from '../../orgs/components/OrgTreeSelect';
import { useCreateCustomer } from '../api/link';
import type { CustomerCreateBody, LinkAccount } from '../api/types';
import { conflictAccounts, errorField, refBodies } from '../utils/query';
import { AccountList, ConflictAlert, LINK_DEFAULTS, LinkOptionFields, type LinkOptionValues } from './LinkOptions';

type CustomerType = CustomerCreateBody['type'];

const TEXT_FIELDS = ['name', 'id_type', 'id_no', 'phone', 'address', 'email', 'industry'] as const;
type TextField = (typeof TEXT_FIELDS)[number];

export interface CreateValues extends LinkOptionValues {
  type: CustomerType;
  org_id: number;
  name: string;
  id_type: string;
  id_no: string;
  phone?: string;
  address?: string;
  email?: string;
  industry?: string;
}

/** ID types 1xx are for persons, 2xx for organisations (the server refuses a mismatch). */
export function idTypeFits(code: string, type: CustomerType): boolean {
  return (code >= '200') === (type === 'corporate');
}

/** The create body: trimmed values, optional ones left out when empty, industry only for corporate customers. */
export function createBody(v: CreateValues, accounts: readonly LinkAccount[]): CustomerCreateBody {
  const opt = (s: string | undefined) => {
    const x = (s ?? '').trim();
    return x === '' ? undefined : x;
  };
  const optional = {
    phone: opt(v.phone),
    address: opt(v.address),
    email: opt(v.email),
    industry: v.type === 'corporate' ? opt(v.industry) : undefined,
  };
  return {
    type: v.type,
    org_id: v.org_id,
    name: v.name.trim(),
    id_type: v.id_type.trim(),
    id_no: v.id_no.trim(),
    ...Object.fromEntries(Object.entries(optional).filter(([, x]) => x !== undefined)),
    accounts: refBodies(accounts),
    counts_for_assessment: v.counts_for_assessment,
    move: v.move,
  };
}

function isTextField(f: string | undefined): f is TextField {
  return f !== undefined && (TEXT_FIELDS as readonly string[]).includes(f);
}

export function CreateCustomerModal({
  accounts,
  defaultType,
  onClose,
}: {
  accounts: readonly LinkAccount[];
  defaultType: CustomerType;
  onClose: () => void;
}) {
  const { t } = useTranslation('query');
  const can = useCan();
  const me = useMe();
  const navigate = useNavigate();
  const [form] = Form.useForm<CreateValues>();
  const type = (Form.useWatch('type', form) ?? defaultType) as CustomerType;
  const idTypes = useCodeOptions('id_type');
  const industries = useCodeOptions('industry');
  const create = useCreateCustomer();
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<{ message: string; accounts: string[] } | null>(null);

  const onOk = async () => {
    let v: CreateValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setError(null);
    setConflict(null);
    create.mutate(createBody(v, accounts), {
      onSuccess: (c) => {
        notifySuccess(t('create.done', { name: c.name }));
        onClose();
        navigate(customerPath(c.id));
      },
      onError: (e) => {
        const listed = conflictAccounts(e);
        const field = errorField(e);
        if (listed && e instanceof ApiError) setConflict({ message: e.message, accounts: listed });
        else if (e instanceof ApiError && isTextField(field)) form.setFields([{ name: field, errors: [e.message] }]);
        else setError(e instanceof ApiError ? e.message : t('link.failed'));
      },
    });
  };

  const required = { required: true, whitespace: true, message: t('create.required') };

  return (
    <Modal
      open
      width={640}
      title={t('create.title')}
      okText={t('create.submit')}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'create-submit' } as Record<string, string>}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="create-modal"
    >
      <AccountList accounts={accounts} />
      {conflict && <ConflictAlert message={conflict.message} accounts={conflict.accounts} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="create-error" />}
      <Form<CreateValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ ...LINK_DEFAULTS, type: defaultType, org_id: me.data?.org_id }}
        onValuesChange={(changed: Partial<CreateValues>) => {
          // A new type makes the chosen ID type (1xx personal, 2xx corporate) wrong; let the user pick again.
          if (changed.type && idTypes.available) form.setFieldValue('id_type', undefined);
        }}
      >
        <Form.Item name="type" label={t('create.type')}>
          <Radio.Group
            optionType="button"
            options={(['personal', 'corporate'] as const).map((v) => ({ value: v, label: t(`create.types.${v}`) }))}
            data-testid="create-type"
          />
        </Form.Item>
        <Form.Item name="org_id" label={t('create.org')} rules={[{ required: true, message: t('create.orgRequired') }]}>
          {can('org.view') ? (
            <OrgTreeSelect testId="create-org" style={{ width: '100%' }} />
          ) : (
            <InputNumber<number> min={1} precision={0} style={{ width: 200 }} data-testid="create-org" />
          )}
        </Form.Item>
        <Form.Item name="name" label={t('create.name')} rules={[required]}>
          <Input maxLength={200} data-testid="create-name" />
        </Form.Item>
        <Form.Item name="id_type" label={t('create.id_type')} rules={[required]}>
          {idTypes.available ? (
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={idTypes.options.filter((o) => idTypeFits(o.value, type))}
              data-testid="create-id_type"
            />
          ) : (
            <Input maxLength={3} data-testid="create-id_type" />
          )}
        </Form.Item>
        <Form.Item name="id_no" label={t('create.id_no')} rules={[required]}>
          <Input maxLength={32} data-testid="create-id_no" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('create.phone')}
          rules={type === 'personal' ? [{ required: true, whitespace: true, message: t('create.phoneRequired') }] : []}
        >
          <Input maxLength={20} data-testid="create-phone" />
        </Form.Item>
        <Form.Item name="address" label={t('create.address')}>
          <Input maxLength={300} data-testid="create-address" />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('create.email')}
          rules={[{ pattern: /^[^@\s]{1,64}@[^@\s]{1,90}\.[A-Za-z]{2,}$/, message: t('create.emailInvalid') }]}
        >
          <Input maxLength={100} data-testid="create-email" />
        </Form.Item>
        {type === 'corporate' && (
          <Form.Item name="industry" label={t('create.industry')} rules={[{ required: true, message: t('create.industryRequired') }]}>
            {industries.available ? (
              <Select showSearch={{ optionFilterProp: 'label' }} options={industries.options} data-testid="create-industry" />
            ) : (
              <Input maxLength={8} data-testid="create-industry" />
            )}
          </Form.Item>
        )}
        <LinkOptionFields />
      </Form>
    </Modal>
  );
}
