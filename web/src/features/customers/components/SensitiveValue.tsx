import { Button, Space, Tooltip } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isMasked } from '../utils/customer';
import type { SensitiveField } from './RevealModal';

/**
 * A sensitive value as the server sent it (masked unless the user may unmask), with the reveal
 * action when the user holds `customer.reveal` and the value is masked.
 */
export function SensitiveValue({
  value,
  field,
  customerId,
  canReveal,
  onReveal,
}: {
  value: string | null | undefined;
  field: SensitiveField;
  customerId: number;
  canReveal: boolean;
  onReveal: (field: SensitiveField) => void;
}) {
  const { t } = useTranslation('customers');
  return (
    <Space size={4}>
      <span>{value ?? ''}</span>
      {canReveal && isMasked(value) && (
        <Tooltip title={t('reveal.action')}>
          <Button
            type="link"
            size="small"
            icon={<EyeOutlined />}
            aria-label={t('reveal.action')}
            onClick={(e) => {
              // Inside a clickable row: revealing must not also open the customer.
              e.stopPropagation();
              onReveal(field);
            }}
            data-testid={`reveal-${field}-${customerId}`}
          />
        </Tooltip>
      )}
    </Space>
  );
}

