/**
 * 挂到已有客户: find the customer (POST /api/customers/search), pick one, choose how the accounts count,
 * and post them to POST /api/customers/{id}/links. A 409 `linked_elsewhere` lists the accounts and
 * suggests ticking "move".
 */
import { useState } from 'react';
import { Alert, Empty, Form, Input, Modal, Radio, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/errors';
import { notifySuccess } from '../../../lib/notify';
import { useAttachAccounts, useCustomerSearch } from '../api/link';
import type { LinkAccount } from '../api/types';
import { conflictAccounts, refBodies } from '../utils/query';
import { AccountList, ConflictAlert, LINK_DEFAULTS, LinkOptionFields, type LinkOptionValues } from './LinkOptions';

interface AttachValues extends LinkOptionValues {
  customer_id: number;
}

export function AttachModal({
  accounts,
  onClose,
  onDone,
}: {
  accounts: readonly LinkAccount[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation('query');
  const [form] = Form.useForm<AttachValues>();
  const [q, setQ] = useState('');
  const hits = useCustomerSearch(q);
  const attach = useAttachAccounts();
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<{ message: string; accounts: string[] } | null>(null);

  const onOk = async () => {
    let v: AttachValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setError(null);
    setConflict(null);
    attach.mutate(
      {
        customerId: v.customer_id,
        body: { accounts: refBodies(accounts), counts_for_assessment: v.counts_for_assessment, move: v.move },
      },
      {
        onSuccess: (r) => {
          notifySuccess(t('attach.done', { count: r.accounts }));
          onDone();
        },
        onError: (e) => {
          const listed = conflictAccounts(e);
          if (listed && e instanceof ApiError) setConflict({ message: e.message, accounts: listed });
          else setError(e instanceof ApiError ? e.message : t('link.failed'));
        },
      },
    );
  };

  return (
    <Modal
      open
      width={640}
      title={t('attach.title')}
      okText={t('attach.submit')}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={attach.isPending}
      okButtonProps={{ 'data-testid': 'attach-submit' } as Record<string, string>}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="attach-modal"
    >
      <AccountList accounts={accounts} />
      {conflict && <ConflictAlert message={conflict.message} accounts={conflict.accounts} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="attach-error" />}
      <Form<AttachValues> form={form} layout="vertical" initialValues={LINK_DEFAULTS} requiredMark={false}>
        <Form.Item label={t('attach.customer')} required>
          <Input.Search
            allowClear
            placeholder={t('attach.searchPlaceholder')}
            onSearch={(v) => {
              setQ(v.trim());
              form.setFieldValue('customer_id', undefined);
            }}
            data-testid="attach-customer-search"
          />
        </Form.Item>
        <Form.Item name="customer_id" rules={[{ required: true, message: t('attach.customerRequired') }]}>
          <CustomerChoices loading={hits.isFetching} searched={q !== ''} hits={hits.data} />
        </Form.Item>
        <LinkOptionFields />
      </Form>
    </Modal>
  );
}

/** The search's customers as radio choices (a controlled Form field). */
function CustomerChoices({
  value,
  onChange,
  loading,
  searched,
  hits,
}: {
  value?: number;
  onChange?: (v: number) => void;
  loading: boolean;
  searched: boolean;
  hits: { id: number; customer_no: string; name: string; org_name: string }[] | undefined;
}) {
  const { t } = useTranslation('query');
  if (loading) return <Spin size="small" />;
  if (!searched) return null;
  if (!hits || hits.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('attach.noResults')} />;
  return (
    <Radio.Group value={value} onChange={(e) => onChange?.(e.target.value as number)} data-testid="attach-customers">
      <Space orientation="vertical">
        {hits.map((c) => (
          <Radio key={c.id} value={c.id}>
            <span data-testid={`attach-customer-${c.id}`}>
              {c.customer_no} {c.name} <Typography.Text type="secondary">{c.org_name}</Typography.Text>
            </span>
          </Radio>
        ))}
      </Space>
    </Radio.Group>
  );
}
