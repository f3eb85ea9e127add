import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import ProviderCard from '../providers/ProviderCard.svelte';
import type { ProviderInfo } from '../../lib/backend/bindings';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);
beforeEach(() => invokeMock.mockReset());

const anthropic: ProviderInfo = {
  id: 'anthropic',
  label: 'Anthropic (Claude)',
  kind: 'language_model',
  offline: false,
  needs_key: true,
  key: { provider: 'anthropic', set: true, ends_with: 'ab12', source: 'keyring' },
  note: '',
  base_url: null,
  limit: null,
  local: false,
};

describe('ProviderCard · Test connection', () => {
  it('tests the provider and shows the verdict in words', async () => {
    invokeMock.mockResolvedValueOnce({
      verdict: 'ok',
      message: 'Connected: Anthropic (Claude) accepted the key and offers claude-sonnet-4-5.',
      model: 'claude-sonnet-4-5',
    });
    render(ProviderCard, { props: { provider: anthropic } });
    await fireEvent.click(screen.getByTestId('test-connection-anthropic'));
    expect(invokeMock).toHaveBeenCalledWith('test_connection', { provider: 'anthropic' });
    const verdict = await screen.findByTestId('connection-anthropic');
    expect(verdict).toHaveAttribute('data-verdict', 'ok');
    expect(verdict).toHaveTextContent('Connected.');
    expect(verdict).toHaveTextContent('offers claude-sonnet-4-5');
  });

  it('says plainly when the key is refused', async () => {
    invokeMock.mockResolvedValueOnce({
      verdict: 'bad_key',
      message: 'Anthropic rejected the API key. Check it in Providers & keys.',
      model: 'claude-sonnet-4-5',
    });
    render(ProviderCard, { props: { provider: anthropic } });
    await fireEvent.click(screen.getByTestId('test-connection-anthropic'));
    const verdict = await screen.findByTestId('connection-anthropic');
    expect(verdict).toHaveAttribute('data-verdict', 'bad_key');
    expect(verdict).toHaveTextContent('Key refused.');
    expect(verdict).toHaveClass('tone-danger');
  });

  it('offers no test for the offline defaults', () => {
    render(ProviderCard, {
      props: {
        provider: { ...anthropic, id: 'rehearsal', offline: true, needs_key: false, key: null },
      },
    });
    expect(screen.queryByTestId('test-connection-rehearsal')).not.toBeInTheDocument();
  });
});
