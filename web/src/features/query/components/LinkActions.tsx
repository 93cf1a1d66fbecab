/**
 * 建立客户 (CUS-2) from the selected result rows: attach them to an existing customer, or create a customer
 * with them. The server needs the real account numbers, so masked rows (no unmask right) cannot be linked.
 */
import { useState } from 'react';
import { Alert, Button, Typography } from 'antd';
import { LinkOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AccountRow } from '../api/types';
import { accountRefs } from '../utils/query';
import { AttachModal } from './AttachModal';
import { CreateCustomerModal } from './CreateCustomerModal';

export function LinkActions({
  selected,
  customerType,
  onLinked,
}: {
  selected: readonly AccountRow[];
  customerType: 'personal' | 'corporate';
  onLinked: () => void;
}) {
  const { t } = useTranslation('query');
  const [open, setOpen] = useState<'attach' | 'create' | null>(null);
  const accounts = accountRefs(selected);
  const disabled = selected.length === 0 || accounts === null;
  return (
    <>
      <Button icon={<LinkOutlined />} disabled={disabled} onClick={() => setOpen('attach')} data-testid="query-attach">
        {t('link.attach')}
      </Button>
      <Button icon={<UserAddOutlined />} disabled={disabled} onClick={() => setOpen('create')} data-testid="query-create-customer">
        {t('link.create')}
      </Button>
      {selected.length > 0 && (
        <Typography.Text type="secondary" data-testid="query-selected">
          {t('link.selected', { count: selected.length })}
        </Typography.Text>
      )}
      {accounts === null && <Alert type="warning" showIcon title={t('link.masked')} data-testid="query-link-masked" />}
      {open === 'attach' && accounts && (
        <AttachModal
          accounts={accounts}
          onClose={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            onLinked();
          }}
        />
      )}
      {open === 'create' && accounts && (
        <CreateCustomerModal accounts={accounts} defaultType={customerType} onClose={() => setOpen(null)} />
      )}
    </>
  );
}
