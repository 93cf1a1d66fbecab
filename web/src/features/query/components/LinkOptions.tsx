/** The options every link carries: counted for assessment or watch only, and whether to move accounts linked elsewhere. */
import { Alert, Checkbox, Form, Switch, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LinkAccount } from '../api/types';
import { isKnownSystem } from '../utils/query';

export interface LinkOptionValues {
  counts_for_assessment: boolean;
  move: boolean;
}

export const LINK_DEFAULTS: LinkOptionValues = { counts_for_assessment: true, move: false };

export function LinkOptionFields() {
  const { t } = useTranslation('query');
  return (
    <>
      <Form.Item name="counts_for_assessment" label={t('link.assessment')} valuePropName="checked">
        <Switch checkedChildren={t('link.counts')} unCheckedChildren={t('link.watchOnly')} data-testid="link-counts" />
      </Form.Item>
      <Form.Item name="move" valuePropName="checked">
        <Checkbox data-testid="link-move">{t('link.move')}</Checkbox>
      </Form.Item>
    </>
  );
}

/** The accounts about to be linked. */
export function AccountList({ accounts }: { accounts: readonly LinkAccount[] }) {
  const { t } = useTranslation('query');
  return (
    <div style={{ marginBottom: 16 }} data-testid="link-accounts">
      <Typography.Text type="secondary">{t('link.accounts')}</Typography.Text>
      {accounts.map((a) => (
        <Tag key={`${a.system}:${a.account_no}`} style={{ marginTop: 4 }}>
          {isKnownSystem(a.system) ? t(`systems.${a.system}`) : a.system} {a.account_no}
        </Tag>
      ))}
    </div>
  );
}

/** 409 `linked_elsewhere`: which accounts, and what to do (tick "move"). */
export function ConflictAlert({ message, accounts }: { message: string; accounts: readonly string[] }) {
  const { t } = useTranslation('query');
  return (
    <Alert
      type="warning"
      showIcon
      title={message}
      description={
        <>
          <div>{t('link.conflict')}</div>
          <ul style={{ margin: '4px 0', paddingInlineStart: 20 }}>
            {accounts.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
          <div data-testid="link-move-hint">{t('link.conflictHint')}</div>
        </>
      }
      style={{ marginBottom: 16 }}
      data-testid="link-conflict"
    />
  );
}
