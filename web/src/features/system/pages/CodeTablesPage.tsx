import { useState } from 'react';
import { Button, Card, Col, Form, Input, InputNumber, Menu, Modal, Row, Space, Spin, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CodeItem } from '../../../api/types';
import { DataTable } from '../../../components/DataTable';
import { localized } from '../../../lib/format';
import { useCan } from '../../auth/api/me';
import { useCodeItems, useCodeTables, useCreateCodeItem, useUpdateCodeItem } from '../api/codeTables';

interface ItemForm {
  code: string;
  label_zh: string;
  label_en: string;
  sort: number;
}

function ItemModal({ table, item, onClose }: { table: string; item?: CodeItem; onClose: () => void }) {
  const { t } = useTranslation('system');
  const [form] = Form.useForm<ItemForm>();
  const create = useCreateCodeItem();
  const update = useUpdateCodeItem();
  const onOk = async () => {
    const v = await form.validateFields();
    if (item) {
      update.mutate(
        { table, item: item.code, body: { label_zh: v.label_zh, label_en: v.label_en, sort: v.sort } },
        { onSuccess: onClose },
      );
    } else {
      create.mutate({ table, body: v }, { onSuccess: onClose });
    }
  };
  return (
    <Modal
      open
      title={item ? t('codes.editTitle', { code: item.code }) : t('codes.addTitle')}
      onOk={() => void onOk()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={{ 'data-testid': 'code-item-submit' }}
      destroyOnHidden
    >
      <Form<ItemForm> form={form} layout="vertical" initialValues={item ?? { sort: 0 }}>
        <Form.Item name="code" label={t('codes.code')} rules={[{ required: true, max: 32 }]}>
          <Input disabled={!!item} data-testid="code-item-code" />
        </Form.Item>
        <Form.Item name="label_zh" label={t('codes.labelZh')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="code-item-label-zh" />
        </Form.Item>
        <Form.Item name="label_en" label={t('codes.labelEn')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="code-item-label-en" />
        </Form.Item>
        <Form.Item name="sort" label={t('codes.sort')} rules={[{ required: true }]}>
          <InputNumber<number> precision={0} data-testid="code-item-sort" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function CodeTablesPage() {
  const { t, i18n } = useTranslation('system');
  const { t: tc } = useTranslation();
  const can = useCan();
  const tables = useCodeTables();
  const [selected, setSelected] = useState<string | undefined>();
  const current = selected ?? tables.data?.[0]?.code;
  const currentTable = tables.data?.find((tb) => tb.code === current);
  const currentName = currentTable ? localized(i18n.language, currentTable.name_zh, currentTable.name_en) : '';
  const items = useCodeItems(current);
  const update = useUpdateCodeItem();
  const [editing, setEditing] = useState<CodeItem | 'new' | null>(null);

  const columns = [
    { title: t('codes.code'), dataIndex: 'code', key: 'code' },
    { title: t('codes.labelZh'), dataIndex: 'label_zh', key: 'label_zh' },
    { title: t('codes.labelEn'), dataIndex: 'label_en', key: 'label_en' },
    { title: t('codes.sort'), dataIndex: 'sort', key: 'sort', width: 80 },
    {
      title: t('codes.active'),
      dataIndex: 'active',
      key: 'active',
      width: 90,
      render: (v: boolean) => <Tag color={v ? 'green' : 'default'}>{v ? t('codes.on') : t('codes.off')}</Tag>,
    },
    ...(can('code.edit')
      ? [
          {
            title: tc('actions'),
            key: 'actions',
            render: (_: unknown, it: CodeItem) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing(it)} data-testid={`code-item-edit-${it.code}`}>
                  {tc('edit')}
                </Button>
                <Button
                  type="link"
                  size="small"
                  danger={it.active}
                  data-testid={`code-item-toggle-${it.code}`}
                  onClick={() => current && update.mutate({ table: current, item: it.code, body: { active: !it.active } })}
                >
                  {it.active ? t('codes.deactivate') : t('codes.activate')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Row gutter={16}>
      <Col xs={24} md={6}>
        <Card size="small" title={t('codes.tables')}>
          {tables.isPending ? (
            <Spin />
          ) : (
            <Menu
              data-testid="code-tables"
              mode="inline"
              style={{ borderInlineEnd: 'none' }}
              selectedKeys={current ? [current] : []}
              onClick={({ key }) => setSelected(key)}
              items={(tables.data ?? []).map((tb) => ({
                key: tb.code,
                label: localized(i18n.language, tb.name_zh, tb.name_en),
              }))}
            />
          )}
        </Card>
      </Col>
      <Col xs={24} md={18}>
        <Card size="small" title={currentName}>
          <DataTable<CodeItem>
            testId="code-items"
            rowKey="code"
            rows={items.data}
            loading={items.isFetching}
            columns={columns}
            toolbar={
              can('code.edit') &&
              current && (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="code-item-add">
                  {t('codes.add')}
                </Button>
              )
            }
          />
        </Card>
      </Col>
      {editing && current && (
        <ItemModal table={current} item={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />
      )}
    </Row>
  );
}
