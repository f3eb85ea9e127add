import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import ProviderCard from '../providers/ProviderCard.svelte';
import { apiError } from '../../test-utils/tauri';
import type { BaseUrlView, ProviderInfo } from '../../lib/backend/bindings';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);
beforeEach(() => invokeMock.mockReset());

const ownAddress: BaseUrlView = {
  url: 'https://api.anthropic.com',
  source: 'default',
  default_url: 'https://api.anthropic.com',
  env_var: 'SHOWRUNNER_ANTHROPIC_BASE_URL',
};

function anthropic(base_url: BaseUrlView = ownAddress): ProviderInfo {
  return {
    id: 'anthropic',
    label: 'Anthropic (Claude)',
    kind: 'language_model',
    offline: false,
    needs_key: true,
    key: { provider: 'anthropic', set: true, ends_with: 'ab12', source: 'keyring' },
    note: '',
    base_url,
    limit: null,
    local: false,
  };
}

describe('ProviderCard · server address', () => {
  it("shows the provider's own address as the placeholder and saves a new one", async () => {
    const saved: BaseUrlView = { ...ownAddress, url: 'https://gateway.example.com/v1', source: 'setting' };
    invokeMock.mockResolvedValueOnce(anthropic(saved));
    render(ProviderCard, { props: { provider: anthropic() } });
    const input = screen.getByLabelText('Base URL');
    expect(input).toHaveAttribute('placeholder', 'https://api.anthropic.com');
    expect(input).toHaveValue('');
    expect(input).not.toHaveAttribute('readonly');
    expect(screen.getByTestId('base-url-default-anthropic')).toBeDisabled();

    await fireEvent.input(input, { target: { value: ' https://gateway.example.com/v1/ ' } });
    await fireEvent.click(screen.getByTestId('base-url-save-anthropic'));
    expect(invokeMock).toHaveBeenCalledWith('set_base_url', {
      provider: 'anthropic',
      url: 'https://gateway.example.com/v1/',
    });
    await vi.waitFor(() => expect(input).toHaveValue('https://gateway.example.com/v1'));
    expect(screen.getByTestId('base-url-default-anthropic')).toBeEnabled();
  });

  it("shows the backend's validation message under the field", async () => {
    const message = 'Leave the user name and password out of the address; put the key in the API key field.';
    invokeMock.mockRejectedValueOnce(apiError('invalid_input', message, { base_url: message }));
    render(ProviderCard, { props: { provider: anthropic() } });
    const input = screen.getByLabelText('Base URL');
    await fireEvent.input(input, { target: { value: 'https://me:pw@gateway.example.com' } });
    await fireEvent.click(screen.getByTestId('base-url-save-anthropic'));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(message);
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input.getAttribute('aria-describedby')).toContain(alert.id);
  });

  it('is read-only and names the variable when an environment variable sets the address', async () => {
    const fromEnv: BaseUrlView = { ...ownAddress, url: 'http://10.0.0.5:8080', source: 'environment' };
    render(ProviderCard, { props: { provider: anthropic(fromEnv) } });
    const input = screen.getByLabelText('Base URL');
    expect(input).toHaveAttribute('readonly');
    expect(input).toHaveValue('http://10.0.0.5:8080');
    expect(screen.getByTestId('base-url-env-anthropic')).toHaveTextContent('SHOWRUNNER_ANTHROPIC_BASE_URL');
    expect(screen.getByTestId('base-url-save-anthropic')).toBeDisabled();
    expect(screen.getByTestId('base-url-default-anthropic')).toBeDisabled();
    await fireEvent.click(screen.getByTestId('base-url-save-anthropic'));
    expect(invokeMock).not.toHaveBeenCalled();
  });

  it('puts the provider back on its own address with "Use default"', async () => {
    const saved: BaseUrlView = { ...ownAddress, url: 'https://gateway.example.com/v1', source: 'setting' };
    invokeMock.mockResolvedValueOnce(anthropic());
    render(ProviderCard, { props: { provider: anthropic(saved) } });
    const input = screen.getByLabelText('Base URL');
    expect(input).toHaveValue('https://gateway.example.com/v1');
    await fireEvent.click(screen.getByTestId('base-url-default-anthropic'));
    expect(invokeMock).toHaveBeenCalledWith('set_base_url', { provider: 'anthropic', url: null });
    await vi.waitFor(() => expect(input).toHaveValue(''));
  });
});
