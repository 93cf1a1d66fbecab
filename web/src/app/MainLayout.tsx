import { Suspense, useMemo, useState } from 'react';
import { Button, Layout, Menu, Space, Spin, theme, type MenuProps } from 'antd';
import { KeyOutlined, LogoutOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { appRoutes, menuGroups } from '../routes';
import { selectedKey, visibleMenu, type MenuEntry } from '../lib/menu';
import { useMe } from '../features/auth/api/me';
import { useLogout } from '../features/auth/api/logout';
import { LanguageSwitch } from '../components/LanguageSwitch';

const { Header, Sider, Content } = Layout;

export function MainLayout() {
  const { t } = useTranslation('menu');
  const { t: tc } = useTranslation();
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const { token } = theme.useToken();

  const permissions = me.data?.permissions;
  const items = useMemo<MenuProps['items']>(() => {
    const entries = visibleMenu(appRoutes, permissions ?? [], menuGroups);
    const toItem = (e: MenuEntry): NonNullable<MenuProps['items']>[number] => {
      const route = appRoutes.find((r) => r.key === e.key);
      const group = menuGroups.find((g) => g.key === e.key);
      if (e.children) {
        return { key: e.key, icon: group?.icon, label: t(e.labelKey), children: e.children.map(toItem) };
      }
      return {
        key: e.key,
        icon: route?.icon,
        label: (
          <Link to={e.path ?? '/'} data-testid={`menu-${e.key}`}>
            {t(e.labelKey)}
          </Link>
        ),
      };
    };
    return entries.map(toItem);
  }, [permissions, t]);

  const selected = selectedKey(appRoutes, location.pathname);
  const openGroup = appRoutes.find((r) => r.key === selected)?.group;

  const onLogout = () => {
    logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={220} data-testid="sider">
        <div
          style={{
            color: '#fff',
            fontWeight: 600,
            fontSize: 18,
            padding: '16px 24px',
            whiteSpace: 'nowrap',
            overflow: 'hidden',
          }}
        >
          {collapsed ? 'CRM' : tc('appName')}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          items={items}
          selectedKeys={selected ? [selected] : []}
          defaultOpenKeys={openGroup ? [openGroup, ...menuGroups.map((g) => g.key)] : menuGroups.map((g) => g.key)}
          data-testid="main-menu"
        />
      </Sider>
      <Layout>
        <Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
          }}
        >
          <Space size="middle" wrap>
            {/* Plain text in the theme's colours: antd's Typography (editable, copyable, ellipsis) is not
                needed for two labels and is kept out of the first screen's JavaScript. */}
            <span style={{ color: token.colorText }} data-testid="header-user">
              {me.data?.display_name}
            </span>
            <span style={{ color: token.colorTextSecondary }} data-testid="header-org">
              {me.data?.org_name}
            </span>
            <LanguageSwitch />
            <Link to="/password" data-testid="change-password">
              <KeyOutlined /> {tc('changePassword')}
            </Link>
            <Button size="small" icon={<LogoutOutlined />} onClick={onLogout} loading={logout.isPending} data-testid="logout">
              {tc('logout')}
            </Button>
          </Space>
        </Header>
        <Content style={{ margin: 16 }}>
          <Suspense
            fallback={
              <div style={{ padding: 48, textAlign: 'center' }}>
                <Spin />
              </div>
            }
          >
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
