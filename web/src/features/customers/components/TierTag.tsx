import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { isVipTier, tierColor } from '../utils/customer';

/** The VIP tier as a coloured tag; nothing (or a dash when asked) for customers without a tier. */
export function TierTag({ tier, testId, dash = false }: { tier: string | null | undefined; testId?: string; dash?: boolean }) {
  const { t } = useTranslation('customers');
  if (!isVipTier(tier)) return dash ? <span data-testid={testId}>-</span> : null;
  return (
    <Tag color={tierColor(tier)} data-testid={testId}>
      {t(`tiers.${tier}`)}
    </Tag>
  );
}
