import { useEffect, useState } from 'react';
import { Alert, Button, Form } from 'antd';
// The two inputs alone, not antd's Input with TextArea, Search and OTP attached (the sign-in page's JavaScript).
import Input from 'antd/es/input/Input';
import Password from 'antd/es/input/Password';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { CenteredCard } from '../../../components/CenteredCard';
import { preloadHome } from '../../../routes';
import { useLogin, type LoginInput } from '../api/login';
import { useMe } from '../api/me';

export function LoginPage() {
  const { t } = useTranslation('auth');
  const navigate = useNavigate();
  const location = useLocation();
  const me = useMe();
  const loginMutation = useLogin();
  const [error, setError] = useState<string | null>(null);

  const from = (location.state as { from?: string } | null)?.from;

  // The first screen's code, fetched while the user types: after signing in it is ready (a few KB; the
  // home page's chart library is not part of it).
  useEffect(() => {
    void preloadHome();
  }, []);

  if (me.data && !loginMutation.isPending) {
    return <Navigate to={me.data.must_change_password ? '/password' : (from ?? '/')} replace />;
  }

  const onFinish = (values: LoginInput) => {
    setError(null);
    loginMutation.mutate(values, {
      onSuccess: (result) => {
        navigate(result.user.must_change_password ? '/password' : (from ?? '/'), { replace: true });
      },
      onError: (e) => setError(e.message || t('login.failed')),
    });
  };

  return (
    <CenteredCard title={t('login.title')}>
      <Form<LoginInput> layout="vertical" onFinish={onFinish} requiredMark={false} data-testid="login-form">
        {error && (
          <Form.Item>
            <Alert type="error" showIcon title={error} data-testid="login-error" />
          </Form.Item>
        )}
        <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={loginMutation.isPending} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form>
    </CenteredCard>
  );
}
