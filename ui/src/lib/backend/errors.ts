// The one error shape that crosses from Rust: `ApiError {code, message, details}`. `invoke` rejects with it;
// everything the UI shows about a failure goes through `BackendError`.

import type { ApiError, ErrorCode, FieldError } from './bindings';

// Every code the backend sends, as a record so a code added in Rust (bindings.ts) fails the type check until
// it is listed here; an unknown code would otherwise lose its message.
const KNOWN_CODES: Record<ErrorCode, true> = {
  invalid_input: true,
  not_found: true,
  duplicate: true,
  conflict: true,
  keyring_unavailable: true,
  no_key: true,
  speech_engine_missing: true,
  voice_invalid: true,
  audio_device_unavailable: true,
  storage: true,
  disk_full: true,
  data_dir_in_use: true,
  store_failed: true,
  provider: true,
  not_released: true,
  target_not_writable: true,
  music_unreadable: true,
  artwork_invalid: true,
  asset_too_large: true,
  estimate_over_cap: true,
  template_invalid: true,
  cancelled: true,
  source_unreadable: true,
  source_too_large: true,
  source_unreachable: true,
  internal: true,
};
const ERROR_CODES = Object.keys(KNOWN_CODES) as readonly ErrorCode[];

/** Form field path (as the backend names it, e.g. `hosts[1].name`) → the message to show beside it. */
export type FieldErrors = Record<string, string>;

export class BackendError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly fieldErrors: readonly FieldError[];

  constructor(code: ErrorCode, message: string, details: unknown = null) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
    this.details = details;
    this.fieldErrors = fieldErrorsOf(details);
  }

  /** Field errors keyed by field path; when a field has several, their messages are joined. */
  get fields(): FieldErrors {
    return toFieldErrors(this.fieldErrors);
  }

  /** True when the error is about specific form fields (the form shows them in place). */
  get hasFieldErrors(): boolean {
    return this.fieldErrors.length > 0;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

function isApiError(value: unknown): value is ApiError {
  return isRecord(value) && isErrorCode(value.code) && typeof value.message === 'string';
}

/** Reads `details.errors: [{field, message}]`, ignoring anything that is not shaped like a field error. */
export function fieldErrorsOf(details: unknown): FieldError[] {
  if (!isRecord(details) || !Array.isArray(details.errors)) return [];
  return details.errors.filter(
    (e): e is FieldError => isRecord(e) && typeof e.field === 'string' && typeof e.message === 'string',
  );
}

export function toFieldErrors(errors: readonly FieldError[]): FieldErrors {
  const out: FieldErrors = {};
  for (const { field, message } of errors) {
    out[field] = out[field] ? `${out[field]} ${message}` : message;
  }
  return out;
}

/**
 * Turns whatever a rejected `invoke` produced into a `BackendError`: the typed `ApiError`, or the plain
 * string Tauri itself rejects with (an unknown command, arguments that do not deserialize), or a JS error.
 */
export function toBackendError(error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  if (isApiError(error)) return new BackendError(error.code, error.message, error.details ?? null);
  if (typeof error === 'string') return new BackendError('internal', error);
  if (error instanceof Error) return new BackendError('internal', error.message);
  return new BackendError('internal', 'Something went wrong, and the app could not say what.', error);
}

/** The field errors of any thrown value: empty unless it is a backend error about form fields. */
export function fieldErrorsFrom(error: unknown): FieldErrors {
  return error instanceof BackendError ? error.fields : {};
}

/** A sentence for a banner or toast: the message, plus what to do for the codes that need a hint. */
export function describeError(error: unknown): string {
  const e = toBackendError(error);
  switch (e.code) {
    case 'keyring_unavailable':
      return `${e.message} Your system keyring is unavailable, so the key was not stored anywhere.`;
    case 'disk_full':
      return `${e.message} Free some disk space and try again.`;
    default:
      return e.message;
  }
}
