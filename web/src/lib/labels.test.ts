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

describe('labels for the other screens', () => {
  it('formats times and numbers and labels audit actions, feeds and the system operator', async () => {
    const { formatTime, formatNumber } = await import('./labels');
    await i18n.changeLanguage('zh-CN');
    expect(formatTime('170526')).toBe('17:05:26');
    expect(formatTime('17:05')).toBe('17:05');
    expect(formatNumber(5000000)).toBe('5,000,000');
    expect(codeLabel(i18n.t, 'auditAction', 'login.success')).toBe('登录成功');
    expect(codeLabel(i18n.t, 'auditAction', 'brand.new')).toBe('brand.new');
    expect(codeLabel(i18n.t, 'feed', 'cif_customer')).toBe('客户信息');
    expect(codeLabel(i18n.t, 'actor', 'system')).toBe('系统（自动任务）');
    expect(codeLabel(i18n.t, 'actor', 'alice')).toBe('alice');
    expect(codeLabel(i18n.t, 'paramType', 'enum')).toBe('选项');
    expect(document.title).toBe('银行客户关系管理');
    await i18n.changeLanguage('en-US');
    expect(document.title).toBe('Bank CRM');
    await i18n.changeLanguage('zh-CN');
  });
});
