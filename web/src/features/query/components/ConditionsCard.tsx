/**
 * The frame of a query page's conditions: a Card holding the antd Form, with the search and reset buttons.
 * Conditions apply on "Search" (the table shows the applied ones, never half-typed ones).
 */
import type { ReactNode } from 'react';
import { Button, Card, Form, Space, type FormInstance } from 'antd';
import { SearchOutlined, UndoOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

export function ConditionsCard<V extends object>({
  title,
  form,
  testId,
  initialValues,
  onSubmit,
  submitTestId = 'query-submit',
  loading,
  children,
}: {
  title: ReactNode;
  form: FormInstance<V>;
  testId: string;
  initialValues?: Partial<V>;
  onSubmit: (values: V) => void;
  submitTestId?: string;
  loading?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation('query');
  return (
    <Card title={title} size="small" style={{ marginBottom: 16 }}>
      <Form<V>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={onSubmit}
        data-testid={testId}
        requiredMark={false}
      >
        {children}
        <Space>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />} loading={loading} data-testid={submitTestId}>
            {t('submit')}
          </Button>
          <Button icon={<UndoOutlined />} onClick={() => form.resetFields()} data-testid="query-reset">
            {t('reset')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
