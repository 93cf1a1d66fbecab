import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** How many of the four character classes (upper, lower, digit, symbol) a password uses. */
export function characterClasses(pw: string): number {
  const tests = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/];
  return tests.filter((re) => re.test(pw)).length;
}

/** Client-side pre-check of the rules the browser can know; the server also checks common and recent passwords. */
export function localPolicyProblems(pw: string): Array<'too_short' | 'too_long' | 'classes'> {
  const out: Array<'too_short' | 'too_long' | 'classes'> = [];
  if (pw.length < PASSWORD_MIN) out.push('too_short');
  if (pw.length > PASSWORD_MAX) out.push('too_long');
  if (characterClasses(pw) < 3) out.push('classes');
  return out;
}

export function PasswordPolicy() {
  const { t } = useTranslation('auth');
  return (
    <div data-testid="pw-policy">
      <Typography.Text strong>{t('policy.title')}</Typography.Text>
      <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
        <li>{t('policy.length', { min: PASSWORD_MIN, max: PASSWORD_MAX })}</li>
        <li>{t('policy.classes')}</li>
        <li>{t('policy.common')}</li>
        <li>{t('policy.history')}</li>
      </ul>
    </div>
  );
}
