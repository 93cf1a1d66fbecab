import { useState } from 'react';
import { Alert, DatePicker, Form, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/errors';
import { notifySuccess } from '../../../lib/notify';
import { useManagerCandidates, useTransferBook } from '../api/customer360';
import type { ManagerCandidate } from '../api/types';

interface TransferForm {
  from_user_id: number;
  to_user_id: number;
  start_date: Dayjs;
}

export function candidateLabel(m: ManagerCandidate): string {
  return `${m.display_name} (${m.username}) · ${m.org_name}`;
}

/** 移交客户: hands every customer of one manager (within the caller's scope) to another from a date. */
export function TransferBookModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('customers');
  const [form] = Form.useForm<TransferForm>();
  const candidates = useManagerCandidates();
  const transfer = useTransferBook();
  const [error, setError] = useState<string | null>(null);
  const options = (candidates.data ?? []).map((m) => ({ value: m.id, label: candidateLabel(m) }));

  const onOk = async () => {
    let v: TransferForm;
    try {
      v = await form.validateFields();
    } catch {
      return; // the form shows what is wrong
    }
    setError(null);
    transfer.mutate(
      { from_user_id: v.from_user_id, to_user_id: v.to_user_id, start_date: v.start_date.format('YYYY-MM-DD') },
      {
        onSuccess: (r) => {
          notifySuccess(t('transfer.done', { count: r.customers }));
          onClose();
        },
        onError: (e) => setError(e instanceof ApiError ? e.message : t('saveFailed')),
      },
    );
  };

  return (
    <Modal
      open
      title={t('transfer.title')}
      okText={t('transfer.submit')}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={transfer.isPending}
      okButtonProps={{ 'data-testid': 'transfer-submit' } as Record<string, string>}
      destroyOnHidden
      mask={{ closable: false }}
      // On the visible panel (the modal root itself counts as hidden for browser tests).
      modalRender={(node) => <div data-testid="transfer-modal">{node}</div>}
    >
      <Alert type="info" showIcon title={t('transfer.hint')} style={{ marginBottom: 16 }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="transfer-error" />}
      <Form form={form} layout="vertical" initialValues={{ start_date: dayjs() }}>
        <Form.Item name="from_user_id" label={t('transfer.from')} rules={[{ required: true, message: t('transfer.fromRequired') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={options}
            loading={candidates.isPending}
            data-testid="transfer-from"
          />
        </Form.Item>
        <Form.Item
          name="to_user_id"
          label={t('transfer.to')}
          dependencies={['from_user_id']}
          rules={[
            { required: true, message: t('transfer.toRequired') },
            ({ getFieldValue }) => ({
              validator: async (_, value: number | undefined) => {
                if (value !== undefined && value === getFieldValue('from_user_id')) throw new Error(t('transfer.same'));
              },
            }),
          ]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={options}
            loading={candidates.isPending}
            data-testid="transfer-to"
          />
        </Form.Item>
        <Form.Item name="start_date" label={t('transfer.startDate')} rules={[{ required: true, message: t('dateRequired') }]}>
          <DatePicker style={{ width: '100%' }} data-testid="transfer-date" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
