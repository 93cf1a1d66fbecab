/**
 * Every page of the main layout, with its menu key, label, icon and the permission that shows it.
 * The side menu is built from this list by `visibleMenu`; only pages that exist are listed.
 */
import { createElement, lazy, type ComponentType, type ReactNode } from 'react';
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
  CloudUploadOutlined,
  DatabaseOutlined,
  IdcardOutlined,
  FileSearchOutlined,
  SearchOutlined,
  SolutionOutlined,
  BookOutlined,
  BankOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import type { MenuGroupLike, MenuRouteLike } from './lib/menu';

/** A page loaded on first use; `preload()` fetches it ahead (then it renders without suspending). */
export type PageComponent = ComponentType & { preload: () => Promise<unknown> };

export interface AppRoute extends MenuRouteLike {
  icon: ReactNode;
  component: PageComponent;
}

export interface AppMenuGroup extends MenuGroupLike {
  icon: ReactNode;
}

// React.lazy suspends on a page's first render even when its code is already here, and React then holds
// the page back for its fallback's minimum time (300 ms): a preloaded page is rendered directly instead.
const page = <K extends string>(loader: () => Promise<Record<K, ComponentType>>, name: K): PageComponent => {
  let loaded: ComponentType | undefined;
  const preload = async (): Promise<ComponentType> => {
    const component: ComponentType = (await loader())[name];
    loaded = component;
    return component;
  };
  const Lazy = lazy(async () => ({ default: await preload() }));
  const Page = () => createElement(loaded ?? Lazy);
  return Object.assign(Page, { preload });
};

export const menuGroups: AppMenuGroup[] = [
  { key: 'customers', labelKey: 'group.customers', icon: <IdcardOutlined /> },
  { key: 'query', labelKey: 'group.query', icon: <SearchOutlined /> },
  { key: 'etl', labelKey: 'group.etl', icon: <DatabaseOutlined /> },
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
    // The customer 360 page, linkable; the menu keeps "Customers" selected (longest matching prefix).
    key: 'customer',
    path: '/customers/:id',
    labelKey: 'customers',
    icon: <TeamOutlined />,
    permission: 'customer.view',
    group: 'customers',
    hideInMenu: true,
    component: page(() => import('./features/customers/pages/CustomerPage'), 'CustomerPage'),
  },
  {
    key: 'queryPersonal',
    path: '/query/personal',
    labelKey: 'queryPersonal',
    icon: <SolutionOutlined />,
    permission: 'customer.view',
    group: 'query',
    component: page(() => import('./features/query/pages/PersonalQueryPage'), 'PersonalQueryPage'),
  },
  {
    key: 'queryPassbooks',
    path: '/query/passbooks',
    labelKey: 'queryPassbooks',
    icon: <BookOutlined />,
    permission: 'customer.view',
    group: 'query',
    component: page(() => import('./features/query/pages/PassbookQueryPage'), 'PassbookQueryPage'),
  },
  {
    key: 'queryCorporate',
    path: '/query/corporate',
    labelKey: 'queryCorporate',
    icon: <BankOutlined />,
    permission: 'customer.view',
    group: 'query',
    component: page(() => import('./features/query/pages/CorporateQueryPage'), 'CorporateQueryPage'),
  },
  {
    key: 'queryTop',
    path: '/query/top-corporate',
    labelKey: 'queryTop',
    icon: <TrophyOutlined />,
    permission: 'customer.view',
    group: 'query',
    component: page(() => import('./features/query/pages/TopCorporatePage'), 'TopCorporatePage'),
  },
  {
    key: 'etlRuns',
    path: '/etl/runs',
    labelKey: 'etlRuns',
    icon: <CloudUploadOutlined />,
    permission: 'etl.view',
    group: 'etl',
    component: page(() => import('./features/etl/pages/RunsPage'), 'RunsPage'),
  },
  {
    // Linkable detail of one run; the menu keeps "Load runs" selected (longest matching prefix).
    key: 'etlRun',
    path: '/etl/runs/:id',
    labelKey: 'etlRuns',
    icon: <CloudUploadOutlined />,
    permission: 'etl.view',
    group: 'etl',
    hideInMenu: true,
    component: page(() => import('./features/etl/pages/RunDetailPage'), 'RunDetailPage'),
  },
  {
    key: 'etlQuality',
    path: '/etl/quality',
    labelKey: 'etlQuality',
    icon: <FileSearchOutlined />,
    permission: 'dq.view',
    group: 'etl',
    component: page(() => import('./features/etl/pages/DataQualityPage'), 'DataQualityPage'),
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

/** The first screen after signing in, fetched while the sign-in page is shown. */
export function preloadHome(): Promise<unknown> {
  return appRoutes.find((r) => r.key === 'home')?.component.preload() ?? Promise.resolve();
}
