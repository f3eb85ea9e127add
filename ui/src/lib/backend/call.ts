// The one way the newer adapter files invoke a command: every rejection becomes a `BackendError`.

import { invoke, type InvokeArgs } from '@tauri-apps/api/core';
import { toBackendError } from './errors';

export async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toBackendError(error);
  }
}
