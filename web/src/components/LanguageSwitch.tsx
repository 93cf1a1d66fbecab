import { Button, Dropdown } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { changeLanguage, type Language } from '../i18n';

const OPTIONS: Array<{ value: Language; label: string }> = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en-US', label: 'English' },
];

/**
 * A button with a two-item menu (not a Select: antd's Select, with its virtual list, would be a sixth of
 * the sign-in page's JavaScript for two languages; the Dropdown reuses the Menu the layout loads anyway).
 */
export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  const current: Language = i18n.language === 'en-US' ? 'en-US' : 'zh-CN';
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: OPTIONS.map((o) => ({ key: o.value, label: <span data-testid={`lang-${o.value}`}>{o.label}</span> })),
        selectable: true,
        selectedKeys: [current],
        onClick: ({ key }) => void changeLanguage(key as Language),
      }}
    >
      <Button size="small" icon={<GlobalOutlined />} aria-label={t('language')} data-testid="lang-switch">
        {OPTIONS.find((o) => o.value === current)?.label}
      </Button>
    </Dropdown>
  );
}
