import { useState } from 'react';
import { Button, Card, Space } from 'antd';
import { TeamOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../components/DataTable';
import type { Manager } from '../api/types';
import { ManagersModal } from './ManagersModal';

/** Current managers (with their shares) and the ended assignments; editing needs `customer.assign`. */
export function ManagersTab({ customerId, managers, canAssign }: { customerId: number; managers: readonly Manager[]; canAssign: boolean }) {
  const { t } = useTranslation('customers');
  const [editing, setEditing] = useState(false);
  const current = managers.filter((m) => !m.end_date);
  const history = managers.filter((m) => !!m.end_date);
  const columns = [
    { title: t('managers.user'), key: 'user', render: (_: unknown, m: Manager) => `${m.display_name} (${m.username})` },
    { title: t('managers.share'), dataIndex: 'share', key: 'share', align: 'right' as const, render: (v: string) => `${Number(v)}%` },
    { title: t('managers.start_date'), dataIndex: 'start_date', key: 'start_date' },
    { title: t('managers.end_date'), dataIndex: 'end_date', key: 'end_date' },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        size="small"
        title={t('managers.current')}
        extra={
          canAssign && (
            <Button icon={<TeamOutlined />} onClick={() => setEditing(true)} data-testid="managers-edit">
              {t('managers.edit')}
            </Button>
          )
        }
      >
        <DataTable<Manager>
          testId="managers-current"
          rowKey="id"
          rows={current}
          columns={columns.slice(0, 3)}
          locale={{ emptyText: t('managers.none') }}
        />
      </Card>
      <Card size="small" title={t('managers.history')}>
        <DataTable<Manager> testId="managers-history" rowKey="id" rows={history} columns={columns} />
      </Card>
      {editing && <ManagersModal customerId={customerId} current={current} onClose={() => setEditing(false)} />}
    </Space>
  );
}
