import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import ProviderCard from '../providers/ProviderCard.svelte';
import LocalModels from '../providers/LocalModels.svelte';
import { apiError } from '../../test-utils/tauri';
import type { LocalModelsView, ProviderInfo } from '../../lib/backend/bindings';
import { limitProblem, rateProblem } from '../../lib/providers';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);
beforeEach(() => invokeMock.mockReset());

function card(id: string, overrides: Partial<ProviderInfo> = {}): ProviderInfo {
  return {
    id,
    label: id,
    kind: 'language_model',
    offline: false,
    needs_key: false,
    key: null,
    note: '',
    base_url: null,
    limit: {
      concurrent: 8,
      default_concurrent: 8,
      customized: false,
      max_concurrent: 64,
      requests_per_minute: null,
      max_requests_per_minute: 100_000,
    },
    local: false,
    ...overrides,
  };
}

const found: LocalModelsView = {
  target_minutes: 25,
  servers: [
    {
      provider: 'ollama',
      label: 'Ollama (on this computer)',
      base_url: 'http://localhost:11434/v1',
      running: true,
      problem: null,
      models: [
        { provider: 'ollama', model: 'llama3.1:8b', context_tokens: 131072, warning: null, in_use: false },
        {
          provider: 'ollama',
          model: 'deepseek-r1:8b',
          context_tokens: 4096,
          warning: "Its 4,096-token context is too small for a 25-minute episode's Script writing",
          in_use: false,
        },
      ],
    },
    {
      provider: 'lmstudio',
      label: 'LM Studio (on this computer)',
      base_url: 'http://localhost:1234/v1',
      running: false,
      problem: 'unreachable',
      models: [],
    },
  ],
};

describe('provider cards · limits', () => {
  it('saves a new number of calls at once and offers the reset', async () => {
    invokeMock.mockResolvedValueOnce({ concurrent: 1, default_concurrent: 2, customized: true, max_concurrent: 64 });
    render(ProviderCard, { props: { provider: card('elevenlabs', { kind: 'speech' }) } });
    const input = screen.getByTestId('limit-input-elevenlabs');
    await fireEvent.input(input, { target: { value: '1' } });
    await fireEvent.click(screen.getByTestId('limit-save-elevenlabs'));
    expect(invokeMock).toHaveBeenCalledWith('set_provider_limit', { provider: 'elevenlabs', concurrent: 1 });
    expect(await screen.findByText('Reset to 2')).toBeEnabled();
  });

  it('refuses a number out of range without calling the backend, and shows a backend field error in place', async () => {
    render(ProviderCard, { props: { provider: card('openrouter') } });
    const input = screen.getByTestId('limit-input-openrouter');
    await fireEvent.input(input, { target: { value: '0' } });
    await fireEvent.click(screen.getByTestId('limit-save-openrouter'));
    expect(await screen.findByRole('alert')).toHaveTextContent('between 1 and 64');
    expect(invokeMock).not.toHaveBeenCalled();

    invokeMock.mockRejectedValueOnce(apiError('invalid_input', 'bad', { concurrent: 'Calls at once must be between 1 and 64; 99 is not.' }));
    await fireEvent.input(input, { target: { value: '12' } });
    await fireEvent.click(screen.getByTestId('limit-save-openrouter'));
    expect(await screen.findByText(/99 is not/)).toBeInTheDocument();
  });

  it('gives the local servers and OpenAI TTS a card without a key field', () => {
    render(ProviderCard, { props: { provider: card('ollama', { local: true, note: 'Runs on this computer: no key, no bill.' }) } });
    expect(screen.getByTestId('local-ollama')).toHaveTextContent('On this computer');
    expect(screen.queryByLabelText('API key')).toBeNull();
    expect(screen.getByTestId('limit-ollama')).toBeInTheDocument();
  });

  it('saves a request rate on its own, shows it, and clears it to no limit', async () => {
    const limits = { concurrent: 8, default_concurrent: 8, customized: false, max_concurrent: 64, max_requests_per_minute: 100_000 };
    invokeMock.mockResolvedValueOnce({ ...limits, requests_per_minute: 50 });
    render(ProviderCard, { props: { provider: card('perplexity') } });
    expect(screen.getByTestId('rate-clear-perplexity')).toBeDisabled();
    await fireEvent.input(screen.getByTestId('rate-input-perplexity'), { target: { value: '50' } });
    await fireEvent.click(screen.getByTestId('rate-save-perplexity'));
    expect(invokeMock).toHaveBeenCalledWith('set_provider_rate', { provider: 'perplexity', requestsPerMinute: 50 });
    expect(screen.getByTestId('rate-input-perplexity')).toHaveValue(50);
    expect(screen.getByTestId('rate-clear-perplexity')).toBeEnabled();

    invokeMock.mockResolvedValueOnce({ ...limits, requests_per_minute: null });
    await fireEvent.click(screen.getByTestId('rate-clear-perplexity'));
    expect(invokeMock).toHaveBeenLastCalledWith('set_provider_rate', { provider: 'perplexity', requestsPerMinute: null });
    expect(await screen.findByTestId('rate-clear-perplexity')).toBeDisabled();
  });

  it('refuses a rate out of range without calling the backend, and shows a backend field error in place', async () => {
    render(ProviderCard, { props: { provider: card('gemini') } });
    const input = screen.getByTestId('rate-input-gemini');
    await fireEvent.input(input, { target: { value: '0' } });
    await fireEvent.click(screen.getByTestId('rate-save-gemini'));
    expect(await screen.findByRole('alert')).toHaveTextContent('between 1 and 100,000');
    expect(invokeMock).not.toHaveBeenCalled();

    invokeMock.mockRejectedValueOnce(
      apiError('invalid_input', 'bad', { requests_per_minute: 'Requests a minute must be between 1 and 100000; 0 is not.' }),
    );
    await fireEvent.input(input, { target: { value: '30' } });
    await fireEvent.click(screen.getByTestId('rate-save-gemini'));
    expect(await screen.findByText(/0 is not/)).toBeInTheDocument();
  });

  it('checks the number the way the backend does', () => {
    expect(rateProblem('600', 100_000)).toBeNull();
    expect(rateProblem('100001', 100_000)).toMatch(/between 1 and 100,000/);
    expect(rateProblem('2.5', 100_000)).toMatch(/whole number/);
    expect(limitProblem('3', 64)).toBeNull();
    expect(limitProblem('65', 64)).toMatch(/between 1 and 64/);
    expect(limitProblem('1.5', 64)).toMatch(/whole number/);
    expect(limitProblem('', 64)).toMatch(/whole number/);
  });
});

describe('local models', () => {
  it('lists what the servers have, warns about a small context, and puts a model on the writing routes', async () => {
    invokeMock.mockImplementation(async (command) => {
      if (command === 'local_models') return found;
      return { jobs: [], providers: [], customized: true };
    });
    render(LocalModels);
    expect(await screen.findByTestId('local-model-llama3.1:8b')).toHaveTextContent('131,072 tokens of context');
    expect(screen.getByTestId('local-model-deepseek-r1:8b')).toHaveTextContent('too small');
    expect(screen.getByTestId('local-server-lmstudio-absent')).toHaveTextContent('Not found at http://localhost:1234/v1');
    await fireEvent.click(screen.getByTestId('local-model-use-llama3.1:8b'));
    expect(invokeMock).toHaveBeenCalledWith('use_local_model', { provider: 'ollama', model: 'llama3.1:8b' });
  });
});
