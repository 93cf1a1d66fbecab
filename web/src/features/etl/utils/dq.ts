/** Pure display helpers of the data-quality page (no React, no i18n): tested in dq.test.ts. */
import type { DqStatus } from '../../../api/types';
import { jsonText } from '../../../lib/format';

/** Issue kinds the loads raise, in the order the filter offers them. */
export const DQ_KINDS = ['id_name_conflict', 'name_match_review', 'link_changed', 'unmapped_org'] as const;

export const DQ_STATUSES: readonly DqStatus[] = ['open', 'resolved', 'dismissed'];

/** antd Tag colour of an issue kind (unknown kinds plain). */
export function kindColor(kind: string): string {
  switch (kind) {
    case 'id_name_conflict':
      return 'volcano';
    case 'name_match_review':
      return 'gold';
    case 'link_changed':
      return 'purple';
    case 'unmapped_org':
      return 'cyan';
    default:
      return 'default';
  }
}

/** antd Tag colour of an issue status: open orange, resolved green, dismissed grey. */
export function dqStatusColor(status: DqStatus): 'warning' | 'success' | 'default' {
  return status === 'open' ? 'warning' : status === 'resolved' ? 'success' : 'default';
}

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/**
 * An issue's detail as readable text: a list of names joined by "、"; a single text value as it is;
 * anything else as JSON text. Always plain text, never HTML.
 */
export function detailText(detail: Record<string, unknown> | null | undefined): string {
  if (!detail) return '';
  if (isStringList(detail.names)) return detail.names.join('、');
  const values = Object.values(detail);
  if (values.length === 1 && isStringList(values[0])) return values[0].join('、');
  if (values.length === 1 && typeof values[0] === 'string') return values[0];
  return Object.keys(detail).length === 0 ? '' : jsonText(detail);
}

/** A close note is 2–500 characters once trimmed. */
export const NOTE_MIN = 2;
export const NOTE_MAX = 500;

export function noteValid(note: string | null | undefined): boolean {
  const n = (note ?? '').trim().length;
  return n >= NOTE_MIN && n <= NOTE_MAX;
}
