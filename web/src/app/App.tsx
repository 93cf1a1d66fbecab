import { lazy, Suspense, useEffect, useState } from 'react';
import { ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { ApiError } from '../api/errors';
import { appRoutes } from '../routes';
import { LoginPage } from '../features/auth/pages/LoginPage';
import { StatusResult } from '../components/StatusResult';
import { AntdBridge, AppFrame } from './AntdBridge';
import { NavigatorBridge } from './NavigatorBridge';
import { MainLayout } from './MainLayout';
import { RequireAuth, RequirePermission } from './RequireAuth';

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not get better by asking again.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}

function NotFound() {
  const { t } = useTranslation();
  return <StatusResult status="404" title="404" subTitle={t('notFound')} />;
}

// Rarely visited: loaded when needed, like every page of the main layout (routes.tsx).
const PasswordPage = lazy(async () => ({ default: (await import('../features/auth/pages/PasswordPage')).PasswordPage }));

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        path="/password"
        element={
          <RequireAuth allowMustChange>
            <Suspense fallback={<Spin style={{ display: 'block', padding: 48 }} />}>
              <PasswordPage />
            </Suspense>
          </RequireAuth>
        }
      />
      <Route
        element={
          <RequireAuth>
            <MainLayout />
          </RequireAuth>
        }
      >
        {appRoutes.map((r) => (
          <Route
            key={r.key}
            path={r.path}
            element={
              <RequirePermission permission={r.permission}>
                <r.component />
              </RequirePermission>
            }
          />
        ))}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const [queryClient] = useState(makeQueryClient);
  const { i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  useEffect(() => {
    dayjs.locale(en ? 'en' : 'zh-cn');
    document.documentElement.lang = i18n.language;
  }, [en, i18n.language]);

  return (
    <ConfigProvider locale={en ? enUS : zhCN}>
      <AppFrame>
        <AntdBridge />
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <NavigatorBridge />
            <AppRoutes />
          </BrowserRouter>
        </QueryClientProvider>
      </AppFrame>
    </ConfigProvider>
  );
}
