/** i18next set up with every namespace bundled (no runtime fetch); zh-CN is the default language. */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['zh-CN', 'en-US'] as const;
export type Language = (typeof LANGUAGES)[number];
export const NAMESPACES = ['common', 'auth', 'orgs', 'users', 'roles', 'audit', 'system', 'customers', 'query', 'etl', 'menu'] as const;

const LANG_KEY = 'bankcrm.lang';

type Bundle = Record<string, unknown>;
const files = import.meta.glob<Bundle>('./locales/*/*.json', { eager: true, import: 'default' });

export const resources: Record<string, Record<string, Bundle>> = {};
for (const [path, bundle] of Object.entries(files)) {
  const m = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
  if (!m || !m[1] || !m[2]) continue;
  const lang = (resources[m[1]] ??= {});
  lang[m[2]] = bundle;
}

function isLanguage(v: string | null): v is Language {
  return v !== null && (LANGUAGES as readonly string[]).includes(v);
}

export function storedLanguage(): Language {
  try {
    const v = window.localStorage.getItem(LANG_KEY);
    return isLanguage(v) ? v : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export async function changeLanguage(lang: Language): Promise<void> {
  try {
    window.localStorage.setItem(LANG_KEY, lang);
  } catch {
    // storage may be unavailable (private mode); the choice then lasts for this page only
  }
  document.documentElement.lang = lang;
  await i18n.changeLanguage(lang);
}

void i18n.use(initReactI18next).init({
  resources,
  lng: storedLanguage(),
  fallbackLng: 'zh-CN',
  ns: [...NAMESPACES],
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** The browser tab's title follows the language (the page's static title is only the first paint). */
function setTitle(): void {
  if (typeof document !== 'undefined') document.title = i18n.t('common:appName');
}
i18n.on('languageChanged', setTitle);
i18n.on('initialized', setTitle);
setTitle();

export default i18n;
