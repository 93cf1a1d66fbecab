import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { codeLabel, rejectReason, rejectReasonParts } from './labels';

describe('labels', () => {
  it('turns codes into labels in both languages and shows unknown codes as they came', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(codeLabel(i18n.t, 'status', 'A')).toBe('正常');
    expect(codeLabel(i18n.t, 'status', 'C')).toBe('销户');
    expect(codeLabel(i18n.t, 'system', 'cif')).toBe('客户信息系统');
    expect(codeLabel(i18n.t, 'currency', 'CNY')).toBe('人民币');
    expect(codeLabel(i18n.t, 'status', 'Q')).toBe('Q');
    expect(codeLabel(i18n.t, 'status', null)).toBe('');
    await i18n.changeLanguage('en-US');
    expect(codeLabel(i18n.t, 'status', 'C')).toBe('Closed');
    await i18n.changeLanguage('zh-CN');
  });

  it('maps the stored reject reasons and keeps what it does not know', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(rejectReasonParts('cust_type: unknown code; weird thing').map((p) => p.key)).toEqual(['unknownCode', null]);
    expect(rejectReason(i18n.t, 'open_date: not a valid date YYYYMMDD; name: longer than 60')).toBe(
      'open_date：不是有效日期（YYYYMMDD）；name：超过 60 个字符',
    );
    expect(rejectReason(i18n.t, '控制字符 / control character in field addr')).toBe('addr：含控制字符');
    expect(rejectReason(i18n.t, 'something else')).toBe('something else');
    await i18n.changeLanguage('en-US');
    expect(rejectReason(i18n.t, 'id_no: fails the check for its id_type')).toBe(
      'id_no: does not match its ID type (check digit or format)',
    );
    await i18n.changeLanguage('zh-CN');
  });
});
