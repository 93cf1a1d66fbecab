/**
 * 建立客户 (CUS-2) from the selected result rows: attach them to an existing customer, or create a customer
 * with them. Accounts travel as the opaque references the query handed out, never as (masked) numbers.
 */
import { useState } from 'react';
import { Button, Typography } from 'antd';
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
  const disabled = selected.length === 0;
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
      {open === 'attach' && (
        <AttachModal
          accounts={accounts}
          onClose={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            onLinked();
          }}
        />
      )}
      {open === 'create' && (
        <CreateCustomerModal accounts={accounts} defaultType={customerType} onClose={() => setOpen(null)} />
      )}
    </>
  );
}
