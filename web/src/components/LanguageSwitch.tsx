import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, type Language } from '../i18n';

const OPTIONS: Array<{ value: Language; label: string }> = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en-US', label: 'English' },
];

export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  return (
    <Select<Language>
      data-testid="lang-switch"
      aria-label={t('language')}
      size="small"
      style={{ width: 100 }}
      value={i18n.language === 'en-US' ? 'en-US' : 'zh-CN'}
      options={OPTIONS}
      onChange={(v) => void changeLanguage(v)}
    />
  );
}
