import { describe, expect, it } from 'vitest';
import { detailText, dqStatusColor, kindColor, noteValid } from './dq';

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
});
