/** Pure display helpers of the data-quality page (no React, no i18n): tested in dq.test.ts. */
import type { DqIssue, DqStatus } from '../../../api/types';
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

/** The customer an issue's detail points at (`same_name_customer_id`, `now_names_customer_id`), for a link. */
export function detailCustomer(
  detail: Record<string, unknown> | null | undefined,
): { key: 'same_name' | 'now_names'; id: number } | null {
  const same = positiveId(detail?.same_name_customer_id);
  if (same !== undefined) return { key: 'same_name', id: same };
  const now = positiveId(detail?.now_names_customer_id);
  if (now !== undefined) return { key: 'now_names', id: now };
  return null;
}

/** A close note is 2–500 characters once trimmed. */
export const NOTE_MIN = 2;
export const NOTE_MAX = 500;

export function noteValid(note: string | null | undefined): boolean {
  const n = (note ?? '').trim().length;
  return n >= NOTE_MIN && n <= NOTE_MAX;
}

/** A rule's prefix: 0–16 letters or digits (the server's check). */
export const PREFIX_PATTERN = /^[A-Za-z0-9]{0,16}$/;
/** A source system's code as the server takes it in a URL path. */
export const SYSTEM_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** The bank org code a prefix rule makes of a source code; null when the code lacks the prefix. */
export function ruleTarget(srcCode: string, stripPrefix: string, addPrefix: string): string | null {
  if (!srcCode.startsWith(stripPrefix)) return null;
  return addPrefix + srcCode.slice(stripPrefix.length);
}

function positiveId(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

/** Issues that name two records of one person and can be settled by merging them. */
const MERGE_KINDS = new Set(['name_match_review', 'id_name_conflict']);

export function canMerge(issue: DqIssue): boolean {
  return issue.status === 'open' && MERGE_KINDS.has(issue.kind);
}

/** An open `link_changed` issue (with its system and account) can be settled by moving the account. */
export function canRelink(issue: DqIssue): boolean {
  return issue.status === 'open' && issue.kind === 'link_changed' && !!issue.system && !!issue.ref;
}

/**
 * The ids a merge starts from. For a same-name review the earlier record (the one the new record's name
 * matched) survives and the new one is merged into it; otherwise the issue's customer is the survivor.
 */
export function mergePrefill(issue: DqIssue): { survivor_id?: number; merged_id?: number } {
  const own = positiveId(issue.customer_id);
  if (issue.kind === 'name_match_review') {
    const twin = positiveId(issue.detail?.same_name_customer_id);
    if (twin !== undefined) return { survivor_id: twin, merged_id: own };
  }
  return { survivor_id: own };
}

/** The customer a moved account goes to: the one the feed now names. */
export function relinkPrefill(issue: DqIssue): { customer_id?: number } {
  return { customer_id: positiveId(issue.detail?.now_names_customer_id) };
}
