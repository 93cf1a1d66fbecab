import { Alert, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Shows a freshly issued initial password once; it is not kept anywhere after closing. */
export function InitialPasswordModal({
  username,
  password,
  onClose,
}: {
  username: string;
  password: string;
  onClose: () => void;
}) {
  const { t } = useTranslation('users');
  return (
    <Modal
      open
      title={t('initialPassword.title', { username })}
      onOk={onClose}
      onCancel={onClose}
      cancelButtonProps={{ style: { display: 'none' } }}
      okButtonProps={{ 'data-testid': 'initial-password-close' }}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('initialPassword.once')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph copyable={{ text: password }} style={{ fontSize: 18 }}>
        <Typography.Text code data-testid="initial-password">
          {password}
        </Typography.Text>
      </Typography.Paragraph>
    </Modal>
  );
}
