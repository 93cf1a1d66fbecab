import { useState } from 'react';
import { Alert, Descriptions, Form, InputNumber, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DqIssue } from '../../../api/types';
import { ApiError } from '../../../api/errors';
import { notifySuccess } from '../../../lib/notify';
import { useMergeCustomers } from '../api/dq';
import { detailText, mergePrefill } from '../utils/dq';
import { DqNoteField } from './DqNoteField';

interface MergeForm {
  survivor_id: number;
  merged_id: number;
  note: string;
}

/**
 * Merges two customer records of one person, from an issue that names them: the merged record's accounts
 * and managers move to the survivor. Both ids start from the issue and can be changed; a note is required.
 */
export function MergeCustomersModal({ issue, onClose }: { issue: DqIssue; onClose: () => void }) {
  const { t } = useTranslation('etl');
  const [form] = Form.useForm<MergeForm>();
  const [error, setError] = useState<string | null>(null);
  const merge = useMergeCustomers();

  const onOk = async () => {
    let values: MergeForm;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows what is wrong
    }
    setError(null);
    merge.mutate(
      { survivor_id: values.survivor_id, merged_id: values.merged_id, note: values.note.trim() },
      {
        onSuccess: (r) => {
          notifySuccess(t('dq.merge.done', { survivor: r.survivor_id, count: r.links_moved }));
          onClose();
        },
        onError: (e) => setError(e instanceof ApiError ? e.message : t('dq.merge.failed')),
      },
    );
  };

  const idRules = [{ required: true, message: t('dq.merge.idRequired') }];

  return (
    <Modal
      open
      title={t('dq.merge.title', { id: issue.id })}
      okText={t('dq.merge.submit')}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={merge.isPending}
      okButtonProps={{ 'data-testid': 'dq-merge-submit' } as Record<string, string>}
      destroyOnHidden
      data-testid="dq-merge-modal"
    >
      <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('dq.fields.kind')}>{t(`dq.kinds.${issue.kind}`, { defaultValue: issue.kind })}</Descriptions.Item>
        <Descriptions.Item label={t('dq.fields.id_no')}>{issue.id_no ?? ''}</Descriptions.Item>
        <Descriptions.Item label={t('dq.fields.detail')}>
          <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{detailText(issue.detail)}</span>
        </Descriptions.Item>
      </Descriptions>
      <Alert type="warning" showIcon title={t('dq.merge.warning')} style={{ marginBottom: 16 }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="dq-merge-error" />}
      <Form form={form} layout="vertical" initialValues={mergePrefill(issue)}>
        <Form.Item name="survivor_id" label={t('dq.merge.survivor')} extra={t('dq.merge.survivorHelp')} rules={idRules}>
          <InputNumber<number> min={1} precision={0} style={{ width: 200 }} data-testid="dq-merge-survivor" />
        </Form.Item>
        <Form.Item
          name="merged_id"
          label={t('dq.merge.merged')}
          extra={t('dq.merge.mergedHelp')}
          dependencies={['survivor_id']}
          rules={[
            ...idRules,
            ({ getFieldValue }) => ({
              validator: async (_, value: number | null | undefined) => {
                if (value != null && value === getFieldValue('survivor_id')) throw new Error(t('dq.merge.sameId'));
              },
            }),
          ]}
        >
          <InputNumber<number> min={1} precision={0} style={{ width: 200 }} data-testid="dq-merge-merged" />
        </Form.Item>
        <DqNoteField />
      </Form>
    </Modal>
  );
}
