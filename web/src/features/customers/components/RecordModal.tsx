import { useState } from 'react';
import { Alert, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/errors';
import { notifySuccess } from '../../../lib/notify';
import { useAddRecord } from '../api/customer360';
import type { CodeOptions } from '../api/codes';
import type { RecordKind } from '../api/types';

export const RECORD_KINDS: readonly RecordKind[] = ['evaluation', 'referral', 'contact'];
export const CONTENT_MIN = 2;
export const CONTENT_MAX = 2000;

interface RecordForm {
  kind: RecordKind;
  record_date: Dayjs;
  channel?: string;
  content: string;
  outcome?: string;
}

/** Records an evaluation, referral or contact with the customer (needs `customer.record`). */
export function RecordModal({
  customerId,
  channels,
  initialKind = 'contact',
  onClose,
}: {
  customerId: number;
  channels: CodeOptions;
  initialKind?: RecordKind;
  onClose: () => void;
}) {
  const { t } = useTranslation('customers');
  const [form] = Form.useForm<RecordForm>();
  const add = useAddRecord();
  const [error, setError] = useState<string | null>(null);

  const onOk = async () => {
    let v: RecordForm;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setError(null);
    const channel = v.channel?.trim();
    const outcome = v.outcome?.trim();
    add.mutate(
      {
        id: customerId,
        body: {
          kind: v.kind,
          record_date: v.record_date.format('YYYY-MM-DD'),
          content: v.content.trim(),
          ...(channel ? { channel } : {}),
          ...(outcome ? { outcome } : {}),
        },
      },
      {
        onSuccess: () => {
          notifySuccess(t('records.saved'));
          onClose();
        },
        onError: (e) => setError(e instanceof ApiError ? e.message : t('saveFailed')),
      },
    );
  };

  return (
    <Modal
      open
      width={600}
      title={t('records.title')}
      okText={t('records.submit')}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={add.isPending}
      okButtonProps={{ 'data-testid': 'record-submit' } as Record<string, string>}
      destroyOnHidden
      mask={{ closable: false }}
      // On the visible panel (the modal root itself counts as hidden for browser tests).
      modalRender={(node) => <div data-testid="record-modal">{node}</div>}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="record-error" />}
      <Form form={form} layout="vertical" initialValues={{ kind: initialKind, record_date: dayjs() }}>
        <Form.Item name="kind" label={t('records.kind')} rules={[{ required: true, message: t('records.kindRequired') }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={RECORD_KINDS.map((k) => ({ value: k, label: <span data-testid={`record-kind-${k}`}>{t(`records.kinds.${k}`)}</span> }))}
            data-testid="record-kind"
          />
        </Form.Item>
        <Form.Item name="record_date" label={t('records.record_date')} rules={[{ required: true, message: t('dateRequired') }]}>
          <DatePicker
            style={{ width: 200 }}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            data-testid="record-date"
          />
        </Form.Item>
        <Form.Item
          name="channel"
          label={t('records.channel')}
          rules={channels.available ? [] : [{ pattern: /^[A-Z_]{2,16}$/, message: t('records.channelPattern') }]}
        >
          {channels.available ? (
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={channels.options} data-testid="record-channel" />
          ) : (
            <Input maxLength={16} data-testid="record-channel" />
          )}
        </Form.Item>
        <Form.Item
          name="content"
          label={t('records.content')}
          rules={[
            { required: true, whitespace: true, message: t('records.contentRequired') },
            {
              validator: async (_, value: string | undefined) => {
                const n = (value ?? '').trim().length;
                if (n > 0 && (n < CONTENT_MIN || n > CONTENT_MAX)) throw new Error(t('records.contentLength'));
              },
            },
          ]}
        >
          <Input.TextArea rows={4} maxLength={CONTENT_MAX} showCount data-testid="record-content" />
        </Form.Item>
        <Form.Item name="outcome" label={t('records.outcome')}>
          <Input maxLength={200} data-testid="record-outcome" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
