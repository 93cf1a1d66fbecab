import { useState } from 'react';
import { Alert, Form, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DqIssue } from '../../../api/types';
import { ApiError } from '../../../api/errors';
import { notifySuccess } from '../../../lib/notify';
import { useCloseDqIssue } from '../api/dq';
import { DqNoteField } from './DqNoteField';

export type DqCloseStatus = 'resolved' | 'dismissed';

/** Resolves or dismisses an open issue; a note (2–500 characters) is required and kept with it. */
export function DqCloseModal({ issue, status, onClose }: { issue: DqIssue; status: DqCloseStatus; onClose: () => void }) {
  const { t } = useTranslation('etl');
  const [form] = Form.useForm<{ note: string }>();
  const [error, setError] = useState<string | null>(null);
  const close = useCloseDqIssue();

  const onOk = async () => {
    let note: string;
    try {
      note = (await form.validateFields()).note.trim();
    } catch {
      return; // the form shows what is wrong
    }
    setError(null);
    close.mutate(
      { id: issue.id, body: { status, note } },
      {
        onSuccess: () => {
          notifySuccess(t(`dq.closed.${status}`));
          onClose();
        },
        onError: (e) => setError(e instanceof ApiError ? e.message : t('dq.closeFailed')),
      },
    );
  };

  return (
    <Modal
      open
      title={t(`dq.closeTitle.${status}`, { id: issue.id })}
      okText={t(`dq.actions.${status}`)}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={close.isPending}
      okButtonProps={{ 'data-testid': 'dq-close-submit' } as Record<string, string>}
      destroyOnHidden
      data-testid="dq-close-modal"
    >
      <Typography.Paragraph type="secondary">{t(`dq.kinds.${issue.kind}`, { defaultValue: issue.kind })}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="dq-close-error" />}
      <Form form={form} layout="vertical">
        <DqNoteField />
      </Form>
    </Modal>
  );
}
