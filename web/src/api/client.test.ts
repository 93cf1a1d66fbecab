import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, setCsrfToken, unwrap } from './client';
import { ApiError } from './errors';
import { setNavigator } from '../lib/navigation';
import { setMessageInstance } from '../lib/notify';
import type { MessageInstance } from 'antd/es/message/interface';
import { stubFetch } from '../test/render';
import { changeLanguage } from '../i18n';

describe('api client', () => {
  const navigate = vi.fn<(to: string) => void>();
  const error = vi.fn();

  beforeEach(() => {
    setNavigator(navigate);
    setMessageInstance({ error, success: vi.fn() } as unknown as MessageInstance);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    setNavigator(null);
    setMessageInstance(null);
    setCsrfToken(null);
    navigate.mockReset();
    error.mockReset();
  });

  it('sends the CSRF token on writes only', async () => {
    const stub = stubFetch({
      'POST /api/orgs/1/close': { status: 200, body: { id: 1 } },
      'GET /api/orgs/tree': { status: 200, body: [] },
    });
    vi.stubGlobal('fetch', stub.fn);
    setCsrfToken('tok-123');
    await unwrap(api.POST('/api/orgs/{org_id}/close', { params: { path: { org_id: 1 } } }));
    await unwrap(api.GET('/api/orgs/tree'));
    expect(stub.seen[0]?.headers.get('X-CSRF-Token')).toBe('tok-123');
    expect(stub.seen[1]?.headers.get('X-CSRF-Token')).toBeNull();
  });

  it('asks for answers in the language the user picked', async () => {
    const stub = stubFetch({ 'GET /api/orgs/tree': { status: 200, body: [] } });
    vi.stubGlobal('fetch', stub.fn);
    await changeLanguage('en-US');
    await unwrap(api.GET('/api/orgs/tree'));
    await changeLanguage('zh-CN');
    await unwrap(api.GET('/api/orgs/tree'));
    expect(stub.seen[0]?.headers.get('Accept-Language')).toBe('en-US');
    expect(stub.seen[1]?.headers.get('Accept-Language')).toBe('zh-CN');
  });

  it('throws ApiError with the server body and toasts its message', async () => {
    vi.stubGlobal(
      'fetch',
      stubFetch({ 'GET /api/roles': { status: 409, body: { code: 'conflict', message: '角色已存在', details: null } } }).fn,
    );
    const err = await unwrap(api.GET('/api/roles')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('conflict');
    expect(error).toHaveBeenCalledWith('角色已存在');
  });

  it('goes to /login on 401 and to /password on password_change_required', async () => {
    vi.stubGlobal(
      'fetch',
      stubFetch({
        'GET /api/roles': { status: 401, body: { code: 'not_authenticated', message: 'login' } },
        'GET /api/users': { status: 403, body: { code: 'password_change_required', message: 'change' } },
      }).fn,
    );
    await unwrap(api.GET('/api/roles')).catch(() => undefined);
    expect(navigate).toHaveBeenLastCalledWith('/login');
    await unwrap(api.GET('/api/users')).catch(() => undefined);
    expect(navigate).toHaveBeenLastCalledWith('/password');
  });

  it('does not redirect or toast for a failed login', async () => {
    vi.stubGlobal(
      'fetch',
      stubFetch({ 'POST /api/auth/login': { status: 401, body: { code: 'invalid_credentials', message: '用户名或密码错误' } } }).fn,
    );
    const err = await unwrap(api.POST('/api/auth/login', { body: { username: 'a', password: 'b' } })).catch((e: unknown) => e);
    expect((err as ApiError).message).toBe('用户名或密码错误');
    expect(navigate).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });
});
