import { describe, expect, it } from 'vitest';
import { keyStatusText } from './providers';

describe('keyStatusText', () => {
  it('shows only the last four characters, never the key', () => {
    expect(keyStatusText({ provider: 'anthropic', set: true, ends_with: 'ab12', source: 'keyring' })).toBe(
      'set · ends in ab12',
    );
    expect(keyStatusText({ provider: 'anthropic', set: false, ends_with: null, source: 'none' })).toBe('not set');
    expect(keyStatusText({ provider: 'openai', set: true, ends_with: null, source: 'environment' })).toBe(
      'from environment',
    );
  });
});
