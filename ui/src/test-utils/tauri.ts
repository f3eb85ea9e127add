// Stand-ins for `@tauri-apps/api` in tests: no webview, so `invoke` is a mock and channels are plain objects
// the test pushes messages into.

import type { ApiError } from '../lib/backend/bindings';

export class FakeChannel<T> {
  static created: FakeChannel<unknown>[] = [];
  onmessage: (message: T) => void;

  constructor(onmessage?: (message: T) => void) {
    this.onmessage = onmessage ?? (() => {});
    FakeChannel.created.push(this as FakeChannel<unknown>);
  }

  /** What the Rust side's `Channel::send` would do. */
  send(message: T): void {
    this.onmessage(message);
  }
}

export function apiError(code: ApiError['code'], message: string, fields: Record<string, string> = {}): ApiError {
  const errors = Object.entries(fields).map(([field, msg]) => ({ field, message: msg }));
  return { code, message, details: errors.length > 0 ? { errors } : null };
}
