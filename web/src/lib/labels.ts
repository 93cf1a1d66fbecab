/**
 * The one place that turns codes into labels for the screens (the server's `bankcrm.labels` does the same
 * for exports, with the same texts). Fixed vocabularies (source systems, account status, currency,
 * parameter types, the `system` operator) live in `common:labels.*`; code tables an administrator keeps
 * (ID types, industries, channels, products) come from the system API (`useCodeOptions`). An unknown
 * code is shown as it came, never hidden.
 */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

export type LabelGroup = 'system' | 'status' | 'currency' | 'paramType' | 'paramChoice' | 'bool' | 'actor' | 'auditAction' | 'feed';

/** The label of a code of a fixed vocabulary, or the code itself when there is none. */
export function codeLabel(t: TFunction, group: LabelGroup, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '';
  // Audit actions are dotted (`login.success`); i18next keys use dots as separators, so they are stored with `_`.
  const key = group === 'auditAction' ? code.replaceAll('.', '_') : code;
  return t(`common:labels.${group}.${key}`, { defaultValue: code });
}

/** `label(group, code)` bound to the current language. */
export function useLabels(): (group: LabelGroup, code: string | null | undefined) => string {
  const { t } = useTranslation();
  return (group, code) => codeLabel(t, group, code);
}

/** A transaction time as the feeds send it (`HHmmss`, `170526`) shown as `17:05:26`; other text as it came. */
export function formatTime(value: string | null | undefined): string {
  if (!value) return '';
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(value.trim());
  return m ? `${m[1]}:${m[2]}:${m[3]}` : value;
}

/** A number with thousands separators (`5000000` → `5,000,000`); anything else as text. */
export function formatNumber(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return value.toLocaleString('en-US', { maximumFractionDigits: 4 });
  return value === null || value === undefined ? '' : String(value);
}

/**
 * The reasons the loader stores for a rejected line (`etl/rules.py`, `etl/loader.py`: English, joined
 * by "; ") in the reader's language. The stored reason stays as it is for operators; a reason of
 * another shape is shown as stored.
 */
const REJECT_PATTERNS: [RegExp, string, (m: RegExpExecArray) => Record<string, string>][] = [
  [/^控制字符 \/ control character in field (\w+)$/, 'control', (m) => ({ field: m[1] ?? '' })],
  [/^(\w+): missing$/, 'missing', (m) => ({ field: m[1] ?? '' })],
  [/^(\w+): longer than (\d+)$/, 'tooLong', (m) => ({ field: m[1] ?? '', n: m[2] ?? '' })],
  [/^(\w+): not a whole number$/, 'notInt', (m) => ({ field: m[1] ?? '' })],
  [/^(\w+): not a number$/, 'notNumber', (m) => ({ field: m[1] ?? '' })],
  [/^(\w+): not a valid date YYYYMMDD$/, 'notDate', (m) => ({ field: m[1] ?? '' })],
  [/^(\w+): unknown code$/, 'unknownCode', (m) => ({ field: m[1] ?? '' })],
  [/^(\w+): negative$/, 'negative', (m) => ({ field: m[1] ?? '' })],
  [/^(\w+): not a mobile number$/, 'notMobile', (m) => ({ field: m[1] ?? '' })],
  [/^(\w+): fails the check for its id_type$/, 'idCheck', (m) => ({ field: m[1] ?? '' })],
  [/^duplicate key \(first at line (\d+)\)$/, 'duplicate', (m) => ({ line: m[1] ?? '' })],
  // The CSV reader's own errors ("TOO_MANY_COLUMNS: ..."): the detail stays as the engine said it.
  [/^([A-Z][A-Z_]+): (.+)$/, 'parse', (m) => ({ detail: `${m[1] ?? ''}: ${m[2] ?? ''}` })],
];

export function rejectReasonParts(reason: string): { key: string | null; values: Record<string, string>; text: string }[] {
  return reason
    .split('; ')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      for (const [re, key, values] of REJECT_PATTERNS) {
        const m = re.exec(part);
        if (m) return { key, values: values(m), text: part };
      }
      return { key: null, values: {}, text: part };
    });
}

export function rejectReason(t: TFunction, reason: string): string {
  return rejectReasonParts(reason)
    .map((p) => (p.key ? t(`common:labels.reject.${p.key}`, p.values) : p.text))
    .join('；');
}
