/**
 * A titled box drawn like antd's Card, for the sign-in page and the home page. antd's Card imports its
 * Tabs and Skeleton (for `tabList` and `loading`) wherever it is used: about 17 KB gzip that the first
 * screen does not need. Feature pages keep using Card; it loads with the first of them.
 */
import type { CSSProperties, ReactNode } from 'react';
import { theme } from 'antd';

export interface PanelProps {
  title: ReactNode;
  children: ReactNode;
  style?: CSSProperties;
  'data-testid'?: string;
}

export function Panel({ title, children, style, 'data-testid': testId }: PanelProps) {
  const { token } = theme.useToken();
  const border = `${token.lineWidth}px ${token.lineType} ${token.colorBorderSecondary}`;
  return (
    <section
      data-testid={testId}
      style={{
        background: token.colorBgContainer,
        border,
        borderRadius: token.borderRadiusLG,
        color: token.colorText,
        fontSize: token.fontSize,
        lineHeight: token.lineHeight,
        ...style,
      }}
    >
      <header
        style={{
          display: 'flex',
          alignItems: 'center',
          minHeight: 56,
          padding: `0 ${token.paddingLG}px`,
          borderBottom: border,
          color: token.colorTextHeading,
          fontWeight: token.fontWeightStrong,
          fontSize: token.fontSizeLG,
        }}
      >
        {title}
      </header>
      <div style={{ padding: token.paddingLG }}>{children}</div>
    </section>
  );
}
