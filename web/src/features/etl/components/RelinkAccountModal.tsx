import { useState } from 'react';
import { Alert, Descriptions, Form, InputNumber, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DqIssue } from '../../../api/types';
import { ApiError } from '../../../api/errors';
import { notifySuccess } from '../../../lib/notify';
import { useRelinkAccount } from '../api/dq';
import { relinkPrefill } from '../utils/dq';
import { DqNoteField } from './DqNoteField';

interface RelinkForm {
  customer_id: number;
  note: string;
}

/**
 * Moves the source account of a `link_changed` issue to another customer, by default the one the feed now
 * names; a note is required. The account number goes in the request body.
 */
export function RelinkAccountModal({ issue, onClose }: { issue: DqIssue; onClose: () => void }) {
  const { t } = useTranslation('etl');
  const [form] = Form.useForm<RelinkForm>();
  const [error, setError] = useState<string | null>(null);
  const relink = useRelinkAccount();
  const system = issue.system ?? '';
  const accountNo = issue.ref ?? '';

  const onOk = async () => {
    let values: RelinkForm;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows what is wrong
    }
    setError(null);
    relink.mutate(
      { system, account_no: accountNo, customer_id: values.customer_id, note: values.note.trim() },
      {
        onSuccess: (r) => {
          notifySuccess(t('dq.relink.done', { customer: r.customer_id }));
          onClose();
        },
        onError: (e) => setError(e instanceof ApiError ? e.message : t('dq.relink.failed')),
      },
    );
  };

  return (
    <Modal
      open
      title={t('dq.relink.title', { id: issue.id })}
      okText={t('dq.relink.submit')}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={relink.isPending}
      okButtonProps={{ 'data-testid': 'dq-relink-submit' } as Record<string, string>}
      destroyOnHidden
      data-testid="dq-relink-modal"
    >
      <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('dq.fields.system')}>{system}</Descriptions.Item>
        <Descriptions.Item label={t('dq.relink.account')}>{accountNo}</Descriptions.Item>
        <Descriptions.Item label={t('dq.relink.current')}>{issue.customer_id ?? ''}</Descriptions.Item>
      </Descriptions>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="dq-relink-error" />}
      <Form form={form} layout="vertical" initialValues={relinkPrefill(issue)}>
        <Form.Item
          name="customer_id"
          label={t('dq.relink.customer')}
          extra={t('dq.relink.customerHelp')}
          rules={[
            { required: true, message: t('dq.relink.customerRequired') },
            {
              validator: async (_, value: number | null | undefined) => {
                if (value != null && value === issue.customer_id) throw new Error(t('dq.relink.sameCustomer'));
              },
            },
          ]}
        >
          <InputNumber<number> min={1} precision={0} style={{ width: 200 }} data-testid="dq-relink-customer" />
        </Form.Item>
        <DqNoteField />
      </Form>
    </Modal>
  );
}
