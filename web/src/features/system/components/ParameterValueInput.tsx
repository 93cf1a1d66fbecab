import { Input, InputNumber, Select, Switch } from 'antd';
import type { Parameter, ParameterValue } from '../../../api/types';
import { formatNumber, type LabelGroup } from '../../../lib/labels';

/** The input that fits a parameter's type; a controlled antd Form field. */
export function ParameterValueInput({
  param,
  value,
  onChange,
}: {
  param: Parameter;
  value?: ParameterValue;
  onChange?: (v: ParameterValue | undefined) => void;
}) {
  const min = param.min ?? undefined;
  const max = param.max ?? undefined;
  switch (param.type) {
    case 'int':
      return (
        <InputNumber<number>
          data-testid="param-value"
          precision={0}
          min={min}
          max={max}
          style={{ width: 200 }}
          value={typeof value === 'number' ? value : null}
          onChange={(v) => onChange?.(v ?? undefined)}
        />
      );
    case 'decimal':
      return (
        <InputNumber<string>
          data-testid="param-value"
          stringMode
          min={min === undefined ? undefined : String(min)}
          max={max === undefined ? undefined : String(max)}
          style={{ width: 200 }}
          value={value === undefined ? null : String(value)}
          onChange={(v) => onChange?.(v ?? undefined)}
        />
      );
    case 'bool':
      return <Switch data-testid="param-value" checked={value === true} onChange={(v) => onChange?.(v)} />;
    case 'enum':
      return (
        <Select<string>
          data-testid="param-value"
          style={{ width: 240 }}
          value={typeof value === 'string' ? value : undefined}
          options={(param.choices ?? []).map((c) => ({ value: c, label: c }))}
          onChange={(v) => onChange?.(v)}
        />
      );
    default:
      return (
        <Input
          data-testid="param-value"
          value={value === undefined ? '' : String(value)}
          onChange={(e) => onChange?.(e.target.value)}
        />
      );
  }
}

/** A value as the table shows it. */
/** A parameter's value for reading: yes/no, numbers with separators, choices by their label. */
export function displayValue(v: unknown, label?: (group: LabelGroup, code: string) => string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return label ? label('bool', String(v)) : v ? '✓' : '✗';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string' && label) return label('paramChoice', v);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A parameter's value as the editor takes it (the API types it loosely). */
export function asParameterValue(v: unknown): ParameterValue | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
}
