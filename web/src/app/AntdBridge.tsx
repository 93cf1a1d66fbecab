import { useEffect } from 'react';
import { message, theme } from 'antd';
import type { ReactNode } from 'react';
import { setMessageInstance } from '../lib/notify';

/**
 * Hands antd's context-aware `message` to non-React code (the API client), and renders its holder.
 * Not antd's <App>: that one also brings Modal and notification (about 12 KB gzip) into the first
 * screen; the pages that confirm with a modal use `Modal.useModal()` themselves.
 */
export function AntdBridge() {
  const [api, holder] = message.useMessage();
  useEffect(() => {
    setMessageInstance(api);
    return () => setMessageInstance(null);
  }, [api]);
  return holder;
}

/** The base text style antd's <App> gives its children (colour, size, line height, font). */
export function AppFrame({ children }: { children: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <div
      style={{ color: token.colorText, fontSize: token.fontSize, lineHeight: token.lineHeight, fontFamily: token.fontFamily }}
    >
      {children}
    </div>
  );
}
