import { Alert, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RevealBody } from '../../../api/types';
import { useRevealField } from '../api/revealField';

/** Fields the server can reveal (the list shows id_no and phone; the 360 page also the address). */
export type SensitiveField = RevealBody['field'];

/** Asks for a purpose, then shows one field in clear. The value lives only in this modal. */
export function RevealModal({
  customer,
  field,
  onClose,
}: {
  customer: { id: number; name: string };
  field: SensitiveField;
  onClose: () => void;
}) {
  const { t } = useTranslation('customers');
  const [form] = Form.useForm<{ purpose: string }>();
  const reveal = useRevealField();
  const revealed = reveal.data;

  const onOk = async () => {
    if (revealed) {
      onClose();
      return;
    }
    const v = await form.validateFields();
    reveal.mutate({ id: customer.id, field, purpose: v.purpose.trim() });
  };

  return (
    <Modal
      open
      title={t('reveal.title', { field: t(`fields.${field}`), name: customer.name })}
      okText={revealed ? t('reveal.close') : t('reveal.submit')}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={reveal.isPending}
      okButtonProps={{ 'data-testid': 'reveal-submit' }}
      destroyOnHidden
    >
      {revealed ? (
        <Typography.Paragraph copyable={{ text: revealed.value ?? '' }} style={{ fontSize: 18 }}>
          <Typography.Text code data-testid="reveal-value">
            {revealed.value ?? ''}
          </Typography.Text>
        </Typography.Paragraph>
      ) : (
        <>
          <Alert type="info" showIcon title={t('reveal.audited')} style={{ marginBottom: 16 }} />
          <Form form={form} layout="vertical">
            <Form.Item
              name="purpose"
              label={t('reveal.purpose')}
              rules={[{ required: true, whitespace: true, message: t('reveal.purposeRequired') }, { max: 200 }]}
            >
              <Input.TextArea rows={3} data-testid="reveal-purpose" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
