import { useState } from 'react';
import { Alert, Button, Descriptions, Form, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLabels } from '../../../lib/labels';
import type { Parameter, ParameterValue } from '../../../api/types';
import { detailStrings } from '../../../api/errors';
import { DataTable } from '../../../components/DataTable';
import { formatDateTime, localized } from '../../../lib/format';
import { notifySuccess } from '../../../lib/notify';
import { useCan } from '../../auth/api/me';
import { useParameters, useSetParameter } from '../api/parameters';
import { asParameterValue, displayValue, ParameterValueInput } from '../components/ParameterValueInput';

function EditParameterModal({ param, onClose }: { param: Parameter; onClose: () => void }) {
  const { t, i18n } = useTranslation('system');
  const label = useLabels();
  const [form] = Form.useForm<{ value: ParameterValue }>();
  const save = useSetParameter();
  const error = save.error;
  const onOk = async () => {
    const v = await form.validateFields();
    save.mutate(
      { key: param.key, value: v.value },
      {
        onSuccess: () => {
          notifySuccess(t('parameters.saved'));
          onClose();
        },
      },
    );
  };
  const range =
    param.min !== null || param.max !== null ? `${param.min ?? '−∞'} … ${param.max ?? '+∞'}` : undefined;
  return (
    <Modal
      open
      title={t('parameters.editTitle', { key: param.key })}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'param-submit' }}
      destroyOnHidden
    >
      <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('parameters.description')}>
          {localized(i18n.language, param.description_zh, param.description_en)}
        </Descriptions.Item>
        <Descriptions.Item label={t('parameters.type')}>{label('paramType', param.type)}</Descriptions.Item>
        {range && <Descriptions.Item label={t('parameters.range')}>{range}</Descriptions.Item>}
        <Descriptions.Item label={t('parameters.default')}>{displayValue(param.default, label)}</Descriptions.Item>
      </Descriptions>
      {error && (
        <Alert
          type="error"
          showIcon
          data-testid="param-error"
          style={{ marginBottom: 16 }}
          title={error.message}
          description={detailStrings(error).join('; ') || undefined}
        />
      )}
      <Form form={form} layout="vertical" initialValues={{ value: asParameterValue(param.value) }}>
        <Form.Item
          name="value"
          label={t('parameters.value')}
          rules={param.type === 'bool' ? [] : [{ required: param.type !== 'str', message: t('parameters.required') }]}
          valuePropName="value"
        >
          <ParameterValueInput param={param} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function ParametersPage() {
  const { t, i18n } = useTranslation('system');
  const label = useLabels();
  const { t: tc } = useTranslation();
  const can = useCan();
  const params = useParameters();
  const [editing, setEditing] = useState<Parameter | null>(null);

  const columns = [
    { title: t('parameters.key'), dataIndex: 'key', key: 'key', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    {
      title: t('parameters.description'),
      key: 'description',
      render: (_: unknown, p: Parameter) => localized(i18n.language, p.description_zh, p.description_en),
    },
    { title: t('parameters.type'), dataIndex: 'type', key: 'type', width: 90, render: (v: string) => label('paramType', v) },
    {
      title: t('parameters.value'),
      key: 'value',
      render: (_: unknown, p: Parameter) => (
        <Typography.Text strong data-testid={`param-value-${p.key}`}>
          {displayValue(p.value, label)}
        </Typography.Text>
      ),
    },
    { title: t('parameters.default'), key: 'default', render: (_: unknown, p: Parameter) => displayValue(p.default, label) },
    { title: t('parameters.updatedBy'), dataIndex: 'updated_by', key: 'updated_by' },
    {
      title: t('parameters.updatedAt'),
      dataIndex: 'updated_at',
      key: 'updated_at',
      render: (v: string | null) => formatDateTime(v),
    },
    ...(can('param.edit')
      ? [
          {
            title: tc('actions'),
            key: 'actions',
            render: (_: unknown, p: Parameter) => (
              <Button type="link" size="small" onClick={() => setEditing(p)} data-testid={`param-edit-${p.key}`}>
                {tc('edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <DataTable<Parameter> testId="params-table" rowKey="key" rows={params.data} loading={params.isFetching} columns={columns} />
      {editing && <EditParameterModal param={editing} onClose={() => setEditing(null)} />}
    </>
  );
}
