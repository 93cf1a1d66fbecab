import { describe, expect, it } from 'vitest';
import { NAMESPACES, resources } from '../i18n';

function keys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('locales', () => {
  it('has both languages with every namespace', () => {
    expect(Object.keys(resources).sort()).toEqual(['en-US', 'zh-CN']);
    for (const lang of ['zh-CN', 'en-US']) {
      expect(Object.keys(resources[lang] ?? {}).sort()).toEqual([...NAMESPACES].sort());
    }
  });

  it.each([...NAMESPACES])('namespace %s has the same keys in zh-CN and en-US', (ns) => {
    const zh = keys(resources['zh-CN']?.[ns]).sort();
    const en = keys(resources['en-US']?.[ns]).sort();
    expect(en).toEqual(zh);
    expect(zh.length).toBeGreaterThan(0);
  });

  it('has no empty strings', () => {
    for (const lang of Object.values(resources)) {
      for (const bundle of Object.values(lang)) {
        const walk = (v: unknown): void => {
          if (typeof v === 'string') expect(v.trim()).not.toBe('');
          else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
        };
        walk(bundle);
      }
    }
  });
});
