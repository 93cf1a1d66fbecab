import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { makeMe, renderWithApp, stubFetch } from '../../../test/render';
import { getCsrfToken, setCsrfToken } from '../../../api/client';
import { LoginPage } from './LoginPage';

const me = makeMe({ username: 'admin', display_name: '管理员', must_change_password: true });

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

function fill(username: string, password: string) {
  fireEvent.change(screen.getByTestId('login-username'), { target: { value: username } });
  fireEvent.change(screen.getByTestId('login-password'), { target: { value: password } });
  fireEvent.click(screen.getByTestId('login-submit'));
}

describe('LoginPage', () => {
  it('shows the server message when the account is locked', async () => {
    vi.stubGlobal(
      'fetch',
      stubFetch({
        'GET /api/auth/me': { status: 401, body: { code: 'not_authenticated', message: '' } },
        'POST /api/auth/login': { status: 423, body: { code: 'account_locked', message: '账户已锁定，请 15 分钟后再试' } },
      }).fn,
    );
    renderWithApp(<LoginPage />, { path: '/login' });
    fill('admin', 'wrong');
    expect(await screen.findByText('账户已锁定，请 15 分钟后再试')).toBeInTheDocument();
  });

  it('keeps the CSRF token and goes to /password when the password must change', async () => {
    vi.stubGlobal(
      'fetch',
      stubFetch({
        'GET /api/auth/me': { status: 401, body: { code: 'not_authenticated', message: '' } },
        'POST /api/auth/login': { status: 200, body: { user: me, csrf_token: 'csrf-1' } },
      }).fn,
    );
    renderWithApp(<LoginPage />, { path: '/login', routes: { '/password': <div>password page</div> } });
    fill('admin', 'Secret#123');
    expect(await screen.findByText('password page')).toBeInTheDocument();
    await waitFor(() => expect(getCsrfToken()).toBe('csrf-1'));
  });
});
