// What the Voices section shows about a voice and about a refusal: sizes, and the coded reason beside the
// action that was refused.

import { toBackendError } from './backend/errors';

/** "63.2 MB" (decimal megabytes, as the catalog and file managers show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1_000_000) return `${Math.max(1, Math.round(bytes / 1000))} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** The backend's specific reason (e.g. `voice_checksum_mismatch`), else its error code. */
export function reasonOf(error: unknown): string {
  const e = toBackendError(error);
  const details = e.details as { reason?: unknown } | null;
  return typeof details?.reason === 'string' ? details.reason : e.code;
}

/** The message shown beside a refused action, with its code. */
export function refusal(error: unknown): string {
  return `${toBackendError(error).message} [${reasonOf(error)}]`;
}

/** True when the model was refused only because its `.onnx.json` is not beside it. */
export function needsConfigFile(error: unknown): boolean {
  return reasonOf(error) === 'voice_files_missing' && toBackendError(error).message.includes('.json');
}
