import { useMemo, useState } from 'react';
import { Alert, Button, DatePicker, Form, InputNumber, Modal, Select, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/errors';
import { notifySuccess } from '../../../lib/notify';
import { useManagerCandidates, useSetManagers } from '../api/customer360';
import type { Manager } from '../api/types';
import { sharesAreComplete, sharesTotal } from '../utils/customer';
import { candidateLabel } from './TransferBookModal';

interface ShareRow {
  user_id?: number;
  share?: number | null;
}

interface ManagersForm {
  managers: ShareRow[];
  start_date: Dayjs;
}

/** Replaces the customer's current managers; the shares must sum to 100 before anything is sent. */
export function ManagersModal({ customerId, current, onClose }: { customerId: number; current: readonly Manager[]; onClose: () => void }) {
  const { t } = useTranslation('customers');
  const [form] = Form.useForm<ManagersForm>();
  const candidates = useManagerCandidates(true, customerId);
  const save = useSetManagers();
  const [error, setError] = useState<string | null>(null);
  const rows = Form.useWatch('managers', form) as ShareRow[] | undefined;
  const total = sharesTotal((rows ?? []).map((r) => r?.share));

  const options = useMemo(() => {
    const list = (candidates.data ?? []).map((m) => ({ value: m.id, label: candidateLabel(m) }));
    // A current manager outside the candidates (another scope) stays selectable as is.
    for (const m of current) {
      if (!list.some((o) => o.value === m.user_id)) list.push({ value: m.user_id, label: `${m.display_name} (${m.username})` });
    }
    return list;
  }, [candidates.data, current]);

  const initial: ManagersForm = {
    managers: current.length ? current.map((m) => ({ user_id: m.user_id, share: Number(m.share) })) : [{ share: 100 }],
    start_date: dayjs(),
  };

  const onOk = async () => {
    let v: ManagersForm;
    try {
      v = await form.validateFields();
    } catch {
      return; // the form shows what is wrong, nothing is sent
    }
    setError(null);
    save.mutate(
      {
        id: customerId,
        body: {
          managers: v.managers.map((r) => ({ user_id: r.user_id as number, share: Number(r.share) })),
          start_date: v.start_date.format('YYYY-MM-DD'),
        },
      },
      {
        onSuccess: () => {
          notifySuccess(t('managers.saved'));
          onClose();
        },
        onError: (e) => setError(e instanceof ApiError ? e.message : t('saveFailed')),
      },
    );
  };

  return (
    <Modal
      open
      width={640}
      title={t('managers.title')}
      okText={t('managers.submit')}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'managers-submit' } as Record<string, string>}
      destroyOnHidden
      mask={{ closable: false }}
      // On the visible panel (the modal root itself counts as hidden for browser tests).
      modalRender={(node) => <div data-testid="managers-modal">{node}</div>}
    >
      <Alert type="info" showIcon title={t('managers.hint')} style={{ marginBottom: 16 }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="managers-error" />}
      <Form form={form} layout="vertical" initialValues={initial}>
        <Form.List
          name="managers"
          rules={[
            {
              validator: async (_, value: ShareRow[] | undefined) => {
                const list = value ?? [];
                if (!list.length) throw new Error(t('managers.empty'));
                const ids = list.map((r) => r?.user_id).filter((id): id is number => id !== undefined);
                if (new Set(ids).size !== ids.length) throw new Error(t('managers.duplicate'));
                const shares = list.map((r) => r?.share);
                if (!sharesAreComplete(shares)) throw new Error(t('managers.notHundred', { total: sharesTotal(shares) }));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((field, i) => (
                <Space key={field.key} align="baseline" style={{ display: 'flex' }}>
                  <Form.Item
                    name={[field.name, 'user_id']}
                    rules={[{ required: true, message: t('managers.userRequired') }]}
                    style={{ width: 360 }}
                  >
                    <Select
                      showSearch={{ optionFilterProp: 'label' }}
                      placeholder={t('managers.user')}
                      options={options}
                      loading={candidates.isPending}
                      data-testid={`manager-user-${i}`}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'share']} rules={[{ required: true, message: t('managers.shareRequired') }]}>
                    <InputNumber
                      min={0.01}
                      max={100}
                      precision={2}
                      suffix="%"
                      placeholder={t('managers.share')}
                      style={{ width: 140 }}
                      data-testid={`manager-share-${i}`}
                    />
                  </Form.Item>
                  {fields.length > 1 && (
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      aria-label={t('managers.remove')}
                      onClick={() => remove(field.name)}
                      data-testid={`manager-remove-${i}`}
                    />
                  )}
                </Space>
              ))}
              <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} data-testid="manager-add">
                  {t('managers.add')}
                </Button>
                <Typography.Text type={sharesAreComplete((rows ?? []).map((r) => r?.share)) ? 'success' : 'danger'} data-testid="managers-total">
                  {t('managers.total', { total })}
                </Typography.Text>
              </Space>
              <div data-testid="managers-list-error">
                <Form.ErrorList errors={errors} />
              </div>
            </>
          )}
        </Form.List>
        <Form.Item
          name="start_date"
          label={t('managers.startDate')}
          rules={[{ required: true, message: t('dateRequired') }]}
          style={{ marginTop: 16 }}
        >
          <DatePicker style={{ width: 200 }} data-testid="managers-date" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
