import { describe, expect, it } from 'vitest';
import type { DqIssue } from '../../../api/types';
import { canMerge, canRelink, detailText, dqStatusColor, kindColor, mergePrefill, noteValid, relinkPrefill, ruleTarget } from './dq';

const issue = (over: Partial<DqIssue>): DqIssue => ({
  id: 1,
  kind: 'id_name_conflict',
  business_date: '20240131',
  system: null,
  ref: null,
  id_type: '101',
  id_no: null,
  customer_id: 12,
  detail: {},
  status: 'open',
  created_at: '2024-02-01T01:00:00Z',
  resolved_at: null,
  resolved_by: null,
  note: null,
  ...over,
});

describe('dq helpers', () => {
  it('detailText joins names, keeps a single text, otherwise JSON text', () => {
    expect(detailText({ names: ['张三', '张叁'] })).toBe('张三、张叁');
    expect(detailText({ src_name: '<b>城东支行</b>' })).toBe('<b>城东支行</b>');
    expect(detailText({ same_name_customer_id: 42 })).toBe('{"same_name_customer_id":42}');
    expect(detailText({})).toBe('');
    expect(detailText(null)).toBe('');
  });

  it('colours', () => {
    expect(dqStatusColor('open')).toBe('warning');
    expect(dqStatusColor('resolved')).toBe('success');
    expect(dqStatusColor('dismissed')).toBe('default');
    expect(kindColor('nope')).toBe('default');
  });

  it('noteValid counts trimmed characters, 2 to 500', () => {
    expect(noteValid('')).toBe(false);
    expect(noteValid(' a ')).toBe(false);
    expect(noteValid('ok')).toBe(true);
    expect(noteValid('x'.repeat(500))).toBe(true);
    expect(noteValid('x'.repeat(501))).toBe(false);
  });

  it('ruleTarget strips then adds a prefix, null when the code lacks it', () => {
    expect(ruleTarget('K320106', 'K', '')).toBe('320106');
    expect(ruleTarget('320106', '', '0')).toBe('0320106');
    expect(ruleTarget('KA01', 'KA', 'B')).toBe('B01');
    expect(ruleTarget('X9', 'K', '')).toBeNull();
  });

  it('merge and move are offered on open issues of their kinds only', () => {
    expect(canMerge(issue({ kind: 'name_match_review' }))).toBe(true);
    expect(canMerge(issue({ kind: 'id_name_conflict' }))).toBe(true);
    expect(canMerge(issue({ kind: 'id_name_conflict', status: 'resolved' }))).toBe(false);
    expect(canMerge(issue({ kind: 'link_changed' }))).toBe(false);
    expect(canRelink(issue({ kind: 'link_changed', system: 'sav', ref: '622' }))).toBe(true);
    expect(canRelink(issue({ kind: 'link_changed', system: 'sav', ref: null }))).toBe(false);
    expect(canRelink(issue({ kind: 'link_changed', system: 'sav', ref: '622', status: 'dismissed' }))).toBe(false);
    expect(canRelink(issue({ kind: 'unmapped_org', system: 'sav', ref: '622' }))).toBe(false);
  });

  it('prefills a merge and a move from the issue, ignoring ids that are not positive integers', () => {
    expect(mergePrefill(issue({ kind: 'name_match_review', customer_id: 31, detail: { same_name_customer_id: 12 } }))).toEqual({
      survivor_id: 12,
      merged_id: 31,
    });
    expect(mergePrefill(issue({ kind: 'name_match_review', customer_id: 31, detail: { same_name_customer_id: '12' } }))).toEqual({
      survivor_id: 31,
    });
    expect(mergePrefill(issue({ customer_id: 12 }))).toEqual({ survivor_id: 12 });
    expect(mergePrefill(issue({ customer_id: null }))).toEqual({ survivor_id: undefined });
    expect(relinkPrefill(issue({ kind: 'link_changed', detail: { now_names_customer_id: 41 } }))).toEqual({ customer_id: 41 });
    expect(relinkPrefill(issue({ kind: 'link_changed', detail: {} }))).toEqual({ customer_id: undefined });
  });
});
