import { describe, expect, it } from 'vitest';
import type { LocalModelsView } from './backend/bindings';
import { startNotice } from './localWriters';

const view = (inUse: boolean, running = true): LocalModelsView => ({
  target_minutes: 25,
  servers: [
    {
      provider: 'ollama',
      label: 'Ollama (on this computer)',
      base_url: 'http://localhost:11434/v1',
      running,
      problem: running ? null : 'unreachable',
      models: running
        ? [{ provider: 'ollama', model: 'llama3.1:8b', context_tokens: 131072, warning: null, in_use: inUse }]
        : [],
    },
  ],
});

describe('local writers at start', () => {
  it('offers models found when none writes yet', () => {
    expect(startNotice(view(false))).toBe(
      'Local writers found: Ollama (1 model). Use one for writing on the Providers page.',
    );
  });

  it('says nothing when one already writes, nothing runs, or the reply is not a view', () => {
    expect(startNotice(view(true))).toBeNull();
    expect(startNotice(view(false, false))).toBeNull();
    expect(startNotice(null)).toBeNull();
  });
});
