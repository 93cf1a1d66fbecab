import { useState } from 'react';
import { Alert, DatePicker, Form, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/errors';
import { notifySuccess } from '../../../lib/notify';
import { useStartRun } from '../api/startRun';
import { formatBusinessDate } from '../utils/runs';

interface FormValues {
  date: Dayjs | null;
}

/**
 * Starts a load of one business date. The server takes the files from its inbox folder for that date
 * (`YYYYMMDD`); its refusals (no folder, a load already running) are shown here, not as a toast.
 */
export function StartLoadModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('etl');
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<string | null>(null);
  const start = useStartRun();
  const date = Form.useWatch('date', form);

  const onOk = async () => {
    let v: FormValues;
    try {
      v = await form.validateFields();
    } catch {
      return; // the form shows what is wrong
    }
    if (!v.date) return;
    setError(null);
    start.mutate(
      { business_date: v.date.format('YYYYMMDD') },
      {
        onSuccess: (run) => {
          notifySuccess(t('start.started', { id: run.id, date: formatBusinessDate(run.business_date) }));
          onClose();
        },
        onError: (e) => setError(e instanceof ApiError ? e.message : t('start.failed')),
      },
    );
  };

  return (
    <Modal
      open
      title={t('start.title')}
      okText={t('start.submit')}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={start.isPending}
      okButtonProps={{ 'data-testid': 'etl-start-submit' } as Record<string, string>}
      destroyOnHidden
      data-testid="etl-start-modal"
    >
      <Alert
        type="info"
        showIcon
        title={t('start.inbox', { folder: date ? date.format('YYYYMMDD') : 'YYYYMMDD' })}
        description={t('start.replace')}
        style={{ marginBottom: 16 }}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="etl-start-error" />}
      <Form<FormValues> form={form} layout="vertical" initialValues={{ date: dayjs().subtract(1, 'day') }}>
        <Form.Item name="date" label={t('fields.business_date')} rules={[{ required: true, message: t('start.dateRequired') }]}>
          <DatePicker
            data-testid="etl-start-date"
            format="YYYY-MM-DD"
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            style={{ width: 200 }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
