import { useState } from 'react';
import { Alert, AutoComplete, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrgMapping } from '../../../api/types';
import { ApiError } from '../../../api/errors';
import { notifySuccess } from '../../../lib/notify';
import { useSaveOrgMappingRule, type OrgMappingRule } from '../api/dq';
import { PREFIX_PATTERN, SYSTEM_PATTERN, ruleTarget } from '../utils/dq';

interface RuleForm {
  system: string;
  strip_prefix?: string;
  add_prefix?: string;
}

/** How many unmapped codes of the chosen system the preview shows. */
const SAMPLES = 3;

/**
 * Saves a source system's prefix rule (e.g. the card system's `K320106` → `320106`: strip `K`), which maps
 * that system's unmapped codes now and new ones at each load. Editing a rule keeps its system.
 */
export function OrgMappingRuleModal({
  rule,
  systems,
  mappings,
  onClose,
}: {
  /** The rule edited; absent for a new one. */
  rule?: OrgMappingRule;
  /** Systems offered in the system field (any other can be typed). */
  systems: readonly string[];
  /** Mappings at hand, whose unmapped codes preview the rule. */
  mappings: readonly OrgMapping[];
  onClose: () => void;
}) {
  const { t } = useTranslation('etl');
  const [form] = Form.useForm<RuleForm>();
  const [error, setError] = useState<string | null>(null);
  const save = useSaveOrgMappingRule();
  const system = (Form.useWatch('system', form) ?? '').trim();
  const strip = (Form.useWatch('strip_prefix', form) ?? '').trim();
  const add = (Form.useWatch('add_prefix', form) ?? '').trim();
  const samples = mappings.filter((m) => m.system === system && m.org_id === null).slice(0, SAMPLES);

  const onOk = async () => {
    let values: RuleForm;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows what is wrong
    }
    setError(null);
    save.mutate(
      {
        system: values.system.trim(),
        body: { strip_prefix: (values.strip_prefix ?? '').trim(), add_prefix: (values.add_prefix ?? '').trim() },
      },
      {
        onSuccess: (r) => {
          notifySuccess(t('mappings.rules.saved', { system: r.rule.system, mapped: r.mapped, unmapped: r.unmapped }));
          onClose();
        },
        onError: (e) => setError(e instanceof ApiError ? e.message : t('mappings.rules.failed')),
      },
    );
  };

  const prefixRule = { pattern: PREFIX_PATTERN, message: t('mappings.rules.prefixInvalid') };

  return (
    <Modal
      open
      title={rule ? t('mappings.rules.editTitle', { system: rule.system }) : t('mappings.rules.addTitle')}
      okText={t('mappings.rules.submit')}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'rule-submit' } as Record<string, string>}
      destroyOnHidden
      data-testid="rule-modal"
    >
      <Typography.Paragraph type="secondary">{t('mappings.rules.explain')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="rule-error" />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ system: rule?.system, strip_prefix: rule?.strip_prefix ?? '', add_prefix: rule?.add_prefix ?? '' }}
      >
        <Form.Item
          name="system"
          label={t('mappings.fields.system')}
          rules={[
            { required: true, whitespace: true, message: t('mappings.rules.systemRequired') },
            {
              validator: async (_, value: string | undefined) => {
                const v = (value ?? '').trim();
                if (v && !SYSTEM_PATTERN.test(v)) throw new Error(t('mappings.rules.systemInvalid'));
              },
            },
          ]}
        >
          <AutoComplete
            disabled={!!rule}
            options={systems.map((s) => ({ value: s }))}
            showSearch={{ filterOption: (input, option) => (option?.value ?? '').toString().startsWith(input.trim()) }}
            placeholder={t('mappings.rules.systemPlaceholder')}
            style={{ width: 200 }}
            data-testid="rule-system"
          />
        </Form.Item>
        <Form.Item name="strip_prefix" label={t('mappings.rules.fields.strip_prefix')} rules={[prefixRule]}>
          <Input maxLength={16} style={{ width: 200 }} data-testid="rule-strip" />
        </Form.Item>
        <Form.Item
          name="add_prefix"
          label={t('mappings.rules.fields.add_prefix')}
          rules={[prefixRule]}
          extra={!strip && !add ? <span data-testid="rule-identity">{t('mappings.rules.identity')}</span> : undefined}
        >
          <Input maxLength={16} style={{ width: 200 }} data-testid="rule-add" />
        </Form.Item>
      </Form>
      {samples.length > 0 && (
        <div data-testid="rule-preview">
          <Typography.Text type="secondary">{t('mappings.rules.preview')}</Typography.Text>
          {samples.map((m) => {
            const target = ruleTarget(m.src_code, strip, add);
            return (
              <div key={m.src_code}>
                <Typography.Text code>{m.src_code}</Typography.Text>
                {' → '}
                {target === null ? (
                  <Typography.Text type="secondary">{t('mappings.rules.noMatch')}</Typography.Text>
                ) : (
                  <Typography.Text code>{target}</Typography.Text>
                )}
              </div>
            );
          })}
        </div>
      )}
    </Modal>
  );
}
