/**
 * Bridge from non-React code (the API client) to antd's context-aware message API.
 * `AntdBridge` (rendered inside antd's <App>) installs the real instance; until then errors go to the console.
 */
import type { MessageInstance } from 'antd/es/message/interface';

let instance: MessageInstance | null = null;

export function setMessageInstance(m: MessageInstance | null): void {
  instance = m;
}

export function notifyError(text: string): void {
  if (instance) {
    void instance.error(text);
  } else {
    console.warn(text);
  }
}

export function notifySuccess(text: string): void {
  if (instance) void instance.success(text);
}
