/** Renders a component the way the app does (antd App, React Query, router, i18n) for tests. */
import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { StyleProvider } from '@ant-design/cssinjs';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import '../i18n';
import { AntdBridge, AppFrame } from '../app/AntdBridge';
import type { Me } from '../api/types';

export function renderWithApp(
  ui: ReactElement,
  {
    path = '/',
    routes = {},
    initialEntry,
  }: { path?: string; routes?: Record<string, ReactElement>; /** Location to start at when `path` has parameters. */ initialEntry?: string } = {},
) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  // antd's styles stay out of jsdom (cssinjs renders as on a server): the tests read text and roles,
  // never CSS, and jsdom's getComputedStyle matches every antd rule against the element on each call
  // (antd tables ask on every mount), which made a page test take tens of seconds on a busy machine.
  const result = render(
    <StyleProvider mock="server">
      <AppFrame>
        <AntdBridge />
        <QueryClientProvider client={qc}>
          <MemoryRouter initialEntries={[initialEntry ?? path]}>
            <Routes>
              <Route path={path} element={ui} />
              {Object.entries(routes).map(([p, el]) => (
                <Route key={p} path={p} element={el} />
              ))}
            </Routes>
          </MemoryRouter>
        </QueryClientProvider>
      </AppFrame>
    </StyleProvider>,
  );
  return { ...result, queryClient: qc };
}

/** A fetch stub answering by "METHOD /path"; records every request it saw. */
export function stubFetch(answers: Record<string, { status: number; body?: unknown }>) {
  const seen: Request[] = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = input instanceof Request ? input : new Request(input, init);
    seen.push(req);
    const key = `${req.method} ${new URL(req.url).pathname}`;
    const a = answers[key];
    if (!a) return new Response(JSON.stringify({ code: 'not_found', message: `no stub for ${key}` }), { status: 404 });
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), {
      status: a.status,
      headers: { 'Content-Type': 'application/json' },
    });
  };
  return { fn, seen };
}

/** The signed-in user as /api/auth/me returns it; tests override what they care about. */
export function makeMe(overrides: Partial<Me> = {}): Me {
  return {
    id: 1,
    username: 'dataadmin',
    display_name: '数据管理员',
    org_id: 1,
    org_name: '总行',
    roles: [],
    permissions: [],
    data_scope: 'all',
    must_change_password: false,
    csrf_token: 'csrf-1',
    ...overrides,
  };
}
