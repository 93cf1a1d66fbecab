import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { renderWithApp, stubFetch } from '../../../test/render';
import { characterClasses, localPolicyProblems } from '../components/PasswordPolicy';
import { PasswordPage } from './PasswordPage';

afterEach(() => vi.unstubAllGlobals());

describe('password policy pre-check', () => {
  it.each([
    ['Abcdef1!', []],
    ['abcdefgh', ['classes']],
    ['Ab1!', ['too_short']],
    ['abcdefg1', ['classes']],
    ['abcdefG1', []],
  ])('%s', (pw, problems) => {
    expect(localPolicyProblems(pw)).toEqual(problems);
  });
  it('counts classes', () => {
    expect(characterClasses('aA1!')).toBe(4);
    expect(characterClasses('中文密码')).toBe(1);
  });
});

describe('PasswordPage', () => {
  it('shows the policy and the server policy details', async () => {
    vi.stubGlobal(
      'fetch',
      stubFetch({
        'GET /api/auth/me': {
          status: 200,
          body: {
            id: 1, username: 'u', display_name: 'U', org_id: 1, org_name: 'O', roles: [], permissions: [],
            data_scope: 'own', must_change_password: true, csrf_token: 't',
          },
        },
        'POST /api/auth/password': {
          status: 400,
          body: { code: 'password_policy', message: '密码不符合规则', details: ['不能是常见密码', '不能与最近 5 次相同'] },
        },
      }).fn,
    );
    renderWithApp(<PasswordPage />, { path: '/password' });
    expect(screen.getByTestId('pw-policy')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('pw-old'), { target: { value: 'Old#12345' } });
    fireEvent.change(screen.getByTestId('pw-new'), { target: { value: 'Password1!' } });
    fireEvent.change(screen.getByTestId('pw-confirm'), { target: { value: 'Password1!' } });
    fireEvent.click(screen.getByTestId('pw-submit'));
    expect(await screen.findByText('密码不符合规则')).toBeInTheDocument();
    const alert = within(screen.getByTestId('pw-error'));
    expect(alert.getByText('不能是常见密码')).toBeInTheDocument();
    expect(alert.getByText('不能与最近 5 次相同')).toBeInTheDocument();
  });

  it('refuses mismatched confirmation without calling the server', async () => {
    const stub = stubFetch({ 'GET /api/auth/me': { status: 401, body: { code: 'x', message: '' } } });
    vi.stubGlobal('fetch', stub.fn);
    renderWithApp(<PasswordPage />, { path: '/password' });
    fireEvent.change(screen.getByTestId('pw-old'), { target: { value: 'Old#12345' } });
    fireEvent.change(screen.getByTestId('pw-new'), { target: { value: 'Password1!' } });
    fireEvent.change(screen.getByTestId('pw-confirm'), { target: { value: 'Password2!' } });
    fireEvent.click(screen.getByTestId('pw-submit'));
    expect(await screen.findByText('两次输入的新密码不一致')).toBeInTheDocument();
    expect(stub.seen.some((r) => r.method === 'POST')).toBe(false);
  });
});
