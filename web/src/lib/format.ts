/** Small display helpers shared by pages. */
import dayjs from 'dayjs';

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : value;
}

/** JSON shown as text (never as HTML). */
export function jsonText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Picks the label for the current language from a zh/en pair. */
export function localized(lang: string, zh: string, en: string | null | undefined): string {
  return lang.startsWith('en') && en ? en : zh;
}
