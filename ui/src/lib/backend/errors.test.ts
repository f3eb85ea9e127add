import { describe, expect, it } from 'vitest';
import { BackendError, describeError, fieldErrorsFrom, fieldErrorsOf, toBackendError } from './errors';

describe('toBackendError', () => {
  it('turns the ApiError a rejected invoke carries into a typed BackendError', () => {
    const e = toBackendError({
      code: 'duplicate',
      message: "A show called 'X' already exists.",
      details: { errors: [{ field: 'name', message: "A show called 'X' already exists." }] },
    });
    expect(e).toBeInstanceOf(BackendError);
    expect(e.code).toBe('duplicate');
    expect(e.message).toBe("A show called 'X' already exists.");
    expect(e.fields).toEqual({ name: "A show called 'X' already exists." });
    expect(e.hasFieldErrors).toBe(true);
  });

  it('maps every field error to its form field path, joining repeats', () => {
    const e = toBackendError({
      code: 'invalid_input',
      message: '3 fields need attention',
      details: {
        errors: [
          { field: 'hosts[1].name', message: 'Each host needs a name.' },
          { field: 'target_minutes', message: 'Target length must be between 1 and 180 minutes.' },
          { field: 'target_minutes', message: 'Second problem.' },
        ],
      },
    });
    expect(e.fields).toEqual({
      'hosts[1].name': 'Each host needs a name.',
      target_minutes: 'Target length must be between 1 and 180 minutes. Second problem.',
    });
  });

  it('has no field errors when details are missing or malformed', () => {
    expect(toBackendError({ code: 'speech_engine_missing', message: 'No speech engine', details: null }).fields).toEqual(
      {},
    );
    expect(fieldErrorsOf({ errors: [{ field: 1 }, 'x', { field: 'a', message: 'b' }] })).toEqual([
      { field: 'a', message: 'b' },
    ]);
    expect(fieldErrorsOf({ errors: 'nope' })).toEqual([]);
  });

  it('wraps the plain strings Tauri rejects with, and JS errors, as internal errors', () => {
    const fromString = toBackendError('invalid args `episodeId` for command `get_episode`');
    expect(fromString.code).toBe('internal');
    expect(fromString.message).toContain('episodeId');
    expect(toBackendError(new Error('boom')).message).toBe('boom');
    expect(toBackendError(42).code).toBe('internal');
  });

  it('treats an object with an unknown code as not an ApiError', () => {
    expect(toBackendError({ code: 'made_up', message: 'x' }).code).toBe('internal');
  });

  it('returns the same BackendError when given one', () => {
    const e = new BackendError('conflict', 'Already decided');
    expect(toBackendError(e)).toBe(e);
  });
});

describe('helpers', () => {
  it('reads field errors only from backend errors', () => {
    expect(fieldErrorsFrom(new Error('x'))).toEqual({});
    expect(fieldErrorsFrom(new BackendError('invalid_input', 'm', { errors: [{ field: 'note', message: 'n' }] }))).toEqual(
      { note: 'n' },
    );
  });

  it('says plainly when the keyring is unavailable', () => {
    const text = describeError({ code: 'keyring_unavailable', message: 'No Secret Service.', details: null });
    expect(text).toContain('No Secret Service.');
    expect(text).toContain('not stored');
  });
});
