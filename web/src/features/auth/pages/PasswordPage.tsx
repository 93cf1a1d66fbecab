import { useState } from 'react';
import { Alert, Button, Form, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { CenteredCard } from '../../../components/CenteredCard';
import { detailStrings } from '../../../api/errors';
import { notifySuccess } from '../../../lib/notify';
import { useChangePassword } from '../api/changePassword';
import { useMe } from '../api/me';
import { localPolicyProblems, PasswordPolicy } from '../components/PasswordPolicy';

interface FormValues {
  old_password: string;
  new_password: string;
  confirm: string;
}

export function PasswordPage() {
  const { t } = useTranslation('auth');
  const navigate = useNavigate();
  const me = useMe();
  const mutation = useChangePassword();
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);
  const forced = me.data?.must_change_password ?? false;

  const onFinish = (values: FormValues) => {
    setError(null);
    mutation.mutate(
      { old_password: values.old_password, new_password: values.new_password },
      {
        onSuccess: () => {
          notifySuccess(t('password.changed'));
          navigate('/', { replace: true });
        },
        onError: (e) => setError({ message: e.message, details: detailStrings(e) }),
      },
    );
  };

  return (
    <CenteredCard title={t('password.title')}>
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        {forced && <Alert type="warning" showIcon title={t('password.mustChange')} data-testid="pw-forced" />}
        <PasswordPolicy />
        {error && (
          <Alert
            type="error"
            showIcon
            data-testid="pw-error"
            title={error.message}
            description={
              error.details.length > 0 ? (
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {error.details.map((d) => (
                    <li key={d}>{d}</li>
                  ))}
                </ul>
              ) : undefined
            }
          />
        )}
        <Form<FormValues> layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item name="old_password" label={t('password.old')} rules={[{ required: true, message: t('password.required') }]}>
            <Input.Password autoComplete="current-password" data-testid="pw-old" />
          </Form.Item>
          <Form.Item
            name="new_password"
            label={t('password.new')}
            rules={[
              { required: true, message: t('password.required') },
              {
                validator: async (_, value: string | undefined) => {
                  const problems = localPolicyProblems(value ?? '');
                  if (value && problems.length > 0) {
                    throw new Error(problems.map((p) => t(`policy.problem.${p}`)).join(' '));
                  }
                },
              },
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="pw-new" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('password.confirm')}
            dependencies={['new_password']}
            rules={[
              { required: true, message: t('password.required') },
              ({ getFieldValue }) => ({
                validator: async (_, value: string | undefined) => {
                  if (value && value !== getFieldValue('new_password')) throw new Error(t('password.mismatch'));
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="pw-confirm" />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={mutation.isPending} data-testid="pw-submit">
              {t('password.submit')}
            </Button>
            {!forced && (
              <Link to="/" data-testid="pw-cancel">
                {t('password.back')}
              </Link>
            )}
          </Space>
        </Form>
      </Space>
    </CenteredCard>
  );
}
