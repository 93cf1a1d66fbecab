import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { Spin } from 'antd';
import { StatusResult } from '../components/StatusResult';
import { useTranslation } from 'react-i18next';
import { useMe } from '../features/auth/api/me';

/** Renders children only for a signed-in user; a user who must change the password is sent to /password. */
export function RequireAuth({ children, allowMustChange = false }: { children: ReactNode; allowMustChange?: boolean }) {
  const me = useMe();
  const location = useLocation();
  const { t } = useTranslation();
  if (me.isPending) {
    return (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin />
      </div>
    );
  }
  if (me.isError) {
    return <StatusResult status="error" title={t('loadFailed')} subTitle={me.error.message} />;
  }
  if (!me.data) {
    return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  }
  if (me.data.must_change_password && !allowMustChange) {
    return <Navigate to="/password" replace />;
  }
  return <>{children}</>;
}

/** Page-level gate: a user without the permission who types the address sees 403, not the page. */
export function RequirePermission({ permission, children }: { permission?: string; children: ReactNode }) {
  const me = useMe();
  const { t } = useTranslation();
  if (permission && !me.data?.permissions.includes(permission)) {
    return <StatusResult status="403" title="403" subTitle={t('forbidden')} />;
  }
  return <>{children}</>;
}
