/**
 * Every page of the main layout, with its menu key, label, icon and the permission that shows it.
 * The side menu is built from this list by `visibleMenu`; only pages that exist are listed.
 */
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  HomeOutlined,
  SettingOutlined,
  SafetyCertificateOutlined,
  TableOutlined,
  TeamOutlined,
  UserOutlined,
  ControlOutlined,
  IdcardOutlined,
} from '@ant-design/icons';
import type { MenuGroupLike, MenuRouteLike } from './lib/menu';

export interface AppRoute extends MenuRouteLike {
  icon: ReactNode;
  component: LazyExoticComponent<ComponentType>;
}

export interface AppMenuGroup extends MenuGroupLike {
  icon: ReactNode;
}

const page = <K extends string>(loader: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(async () => ({ default: (await loader())[name] }));

export const menuGroups: AppMenuGroup[] = [
  { key: 'customers', labelKey: 'group.customers', icon: <IdcardOutlined /> },
  { key: 'system', labelKey: 'group.system', icon: <SettingOutlined /> },
];

export const appRoutes: AppRoute[] = [
  {
    key: 'home',
    path: '/',
    labelKey: 'home',
    icon: <HomeOutlined />,
    component: page(() => import('./features/home/pages/HomePage'), 'HomePage'),
  },
  {
    key: 'customers',
    path: '/customers',
    labelKey: 'customers',
    icon: <TeamOutlined />,
    permission: 'customer.view',
    group: 'customers',
    component: page(() => import('./features/customers/pages/CustomersPage'), 'CustomersPage'),
  },
  {
    key: 'orgs',
    path: '/system/orgs',
    labelKey: 'orgs',
    icon: <ApartmentOutlined />,
    permission: 'org.view',
    group: 'system',
    component: page(() => import('./features/orgs/pages/OrgsPage'), 'OrgsPage'),
  },
  {
    key: 'users',
    path: '/system/users',
    labelKey: 'users',
    icon: <UserOutlined />,
    permission: 'user.view',
    group: 'system',
    component: page(() => import('./features/users/pages/UsersPage'), 'UsersPage'),
  },
  {
    key: 'roles',
    path: '/system/roles',
    labelKey: 'roles',
    icon: <SafetyCertificateOutlined />,
    permission: 'role.view',
    group: 'system',
    component: page(() => import('./features/roles/pages/RolesPage'), 'RolesPage'),
  },
  {
    key: 'audit',
    path: '/system/audit',
    labelKey: 'audit',
    icon: <AuditOutlined />,
    permission: 'audit.view',
    group: 'system',
    component: page(() => import('./features/audit/pages/AuditPage'), 'AuditPage'),
  },
  {
    key: 'parameters',
    path: '/system/parameters',
    labelKey: 'parameters',
    icon: <ControlOutlined />,
    permission: 'param.view',
    group: 'system',
    component: page(() => import('./features/system/pages/ParametersPage'), 'ParametersPage'),
  },
  {
    key: 'codeTables',
    path: '/system/code-tables',
    labelKey: 'codeTables',
    icon: <TableOutlined />,
    permission: 'code.view',
    group: 'system',
    component: page(() => import('./features/system/pages/CodeTablesPage'), 'CodeTablesPage'),
  },
];
