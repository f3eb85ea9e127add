import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import ProviderCard from '../providers/ProviderCard.svelte';
import { apiError } from '../../test-utils/tauri';
import type { ProviderInfo } from '../../lib/backend/bindings';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);
beforeEach(() => invokeMock.mockReset());

const anthropic: ProviderInfo = {
  id: 'anthropic',
  label: 'Anthropic',
  kind: 'language_model',
  offline: false,
  needs_key: true,
  key: { provider: 'anthropic', set: false, ends_with: null, source: 'none' },
  note: '',
  base_url: null,
  limit: null,
  local: false,
};

describe('ProviderCard', () => {
  it('saves the key, clears the field and shows only the last four characters', async () => {
    invokeMock.mockResolvedValueOnce({ provider: 'anthropic', set: true, ends_with: 'ab12', source: 'keyring' });
    render(ProviderCard, { props: { provider: anthropic } });
    expect(screen.getByTestId('key-status-anthropic')).toHaveTextContent('not set');
    const input = screen.getByLabelText('API key');
    expect(input).toHaveAttribute('type', 'password');
    await fireEvent.input(input, { target: { value: 'sk-secret-ab12' } });
    await fireEvent.click(screen.getByTestId('key-save-anthropic'));

    expect(invokeMock).toHaveBeenCalledWith('set_api_key', { provider: 'anthropic', key: 'sk-secret-ab12' });
    expect(input).toHaveValue('');
    expect(await screen.findByText('set · ends in ab12')).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('sk-secret');
  });

  it('says clearly when the keyring is unavailable, and keeps no copy of the key', async () => {
    invokeMock.mockRejectedValueOnce(apiError('keyring_unavailable', 'No Secret Service keyring is running.'));
    render(ProviderCard, { props: { provider: anthropic } });
    const input = screen.getByLabelText('API key');
    await fireEvent.input(input, { target: { value: 'sk-secret' } });
    await fireEvent.click(screen.getByTestId('key-save-anthropic'));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('No Secret Service keyring is running.');
    expect(alert).toHaveTextContent('not stored');
    expect(input).toHaveValue('');
  });

  it('labels the offline defaults as such', () => {
    render(ProviderCard, {
      props: {
        provider: {
          id: 'rehearsal',
          label: 'Rehearsal (offline)',
          kind: 'language_model',
          offline: true,
          needs_key: false,
          key: null,
          note: 'A deterministic stand-in. It is not AI.',
          base_url: null,
          limit: null,
          local: true,
        },
      },
    });
    expect(screen.getByText('Offline default')).toBeInTheDocument();
    expect(screen.queryByLabelText('API key')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Base URL')).not.toBeInTheDocument();
  });
});
