import { useEffect } from 'react';
import { App } from 'antd';
import { setMessageInstance } from '../lib/notify';

/** Hands antd's context-aware `message` to non-React code (the API client). */
export function AntdBridge() {
  const { message } = App.useApp();
  useEffect(() => {
    setMessageInstance(message);
    return () => setMessageInstance(null);
  }, [message]);
  return null;
}
