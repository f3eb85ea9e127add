import '@testing-library/jest-dom/vitest';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import { open } from '@tauri-apps/plugin-dialog';
import VoicesScreen from '../VoicesScreen.svelte';
import type { CatalogAddress, InstalledVoiceView, VoiceCatalogView, VoiceDownloadProgress, VoicesView } from '../../lib/backend/bindings';
import { FakeChannel } from '../../test-utils/tauri';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn() }));

const invokeMock = vi.mocked(invoke);
const openMock = vi.mocked(open);

const joe: InstalledVoiceView = {
  name: 'en_US-joe-medium',
  language: 'en_US',
  quality: 'medium',
  size_bytes: 63_201_294,
  speakers: 1,
  sample_rate: 22_050,
};

const installed = (voices: InstalledVoiceView[]): VoicesView => ({
  voices,
  piper_ready: voices.length > 0,
  problem: voices.length > 0 ? null : { code: 'voice_not_installed', message: 'No Piper voice is installed.' },
  offline_speaker: voices.length > 0 ? 'Piper (offline neural voice)' : 'System speech (espeak-ng)',
  folder: '/data/voices',
});

const catalog = (language: string | null): VoiceCatalogView => ({
  voices: [
    { key: 'de_DE-thorsten-low', language: 'de_DE', language_name: 'German (Germany)', quality: 'low', speakers: 1, size_bytes: 63_000_000, installed: false, downloading: false },
    { key: 'en_US-joe-medium', language: 'en_US', language_name: 'English (United States)', quality: 'medium', speakers: 1, size_bytes: 63_206_182, installed: false, downloading: false },
  ].filter((v) => language === null || v.language === language),
  languages: [
    { code: 'de_DE', name: 'German (Germany)', voices: 1 },
    { code: 'en_US', name: 'English (United States)', voices: 1 },
  ],
  url: 'https://huggingface.co/rhasspy/piper-voices/resolve/main',
});

const DEFAULT_CATALOG = 'https://huggingface.co/rhasspy/piper-voices/resolve/main';
const address: CatalogAddress = { url: DEFAULT_CATALOG, source: 'default', default_url: DEFAULT_CATALOG };

const refusal = (code: string, message: string, reason: string) => ({ code, message, details: { reason } });

beforeEach(() => {
  invokeMock.mockReset();
  openMock.mockReset();
  FakeChannel.created = [];
});

describe('VoicesScreen', () => {
  it('lists installed voices with their language, quality, speakers, rate and size, and plays a sample', async () => {
    invokeMock.mockImplementation(async (command) => {
      if (command === 'list_installed_voices') return installed([joe]);
      if (command === 'play_voice_sample') return { state: 'playing' };
      throw new Error(`unexpected ${command}`);
    });
    render(VoicesScreen);
    const row = await screen.findByTestId('voice-row-en_US-joe-medium');
    expect(row).toHaveTextContent('en_US');
    expect(row).toHaveTextContent('medium');
    expect(row).toHaveTextContent('22050 Hz');
    expect(row).toHaveTextContent('63.2 MB');
    expect(screen.getByTestId('offline-speaker')).toHaveTextContent('Piper (offline neural voice)');
    await fireEvent.click(screen.getByTestId('sample-en_US-joe-medium'));
    expect(invokeMock).toHaveBeenCalledWith('play_voice_sample', { voice: 'en_US-joe-medium' });
  });

  it('removes a voice only after the confirm', async () => {
    let voices = [joe];
    invokeMock.mockImplementation(async (command) => {
      if (command === 'list_installed_voices') return installed(voices);
      if (command === 'remove_voice') {
        voices = [];
        return undefined;
      }
      throw new Error(`unexpected ${command}`);
    });
    render(VoicesScreen);
    await fireEvent.click(await screen.findByTestId('remove-en_US-joe-medium'));
    expect(invokeMock).not.toHaveBeenCalledWith('remove_voice', expect.anything());
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, remove' }));
    await vi.waitFor(() => expect(screen.queryByTestId('voice-row-en_US-joe-medium')).not.toBeInTheDocument());
    expect(invokeMock).toHaveBeenCalledWith('remove_voice', { name: 'en_US-joe-medium' });
  });

  it('installs from the picked .onnx, shows a refusal with its code beside the button, and asks for the config second', async () => {
    openMock.mockResolvedValueOnce('/home/ana/voices/lonely.onnx').mockResolvedValueOnce('/home/ana/dl/lonely.onnx.json');
    const calls: unknown[] = [];
    invokeMock.mockImplementation(async (command, args) => {
      if (command === 'list_installed_voices') return installed(calls.length === 2 ? [joe] : []);
      if (command === 'install_voice') {
        calls.push(args);
        if (calls.length === 1)
          throw refusal(
            'voice_invalid',
            'The voice files are incomplete: lonely.onnx.json must be beside the model.',
            'voice_files_missing',
          );
        return joe;
      }
      throw new Error(`unexpected ${command}`);
    });
    render(VoicesScreen);
    await fireEvent.click(await screen.findByTestId('install-voice'));
    expect(await screen.findByTestId('install-error')).toHaveTextContent(
      'lonely.onnx.json must be beside the model. [voice_files_missing]',
    );
    expect(calls[0]).toEqual({ path: '/home/ana/voices/lonely.onnx', configPath: null });
    await fireEvent.click(screen.getByTestId('choose-voice-config'));
    await screen.findByTestId('voice-row-en_US-joe-medium');
    expect(calls[1]).toEqual({ path: '/home/ana/voices/lonely.onnx', configPath: '/home/ana/dl/lonely.onnx.json' });
    expect(screen.queryByTestId('install-error')).not.toBeInTheDocument();
  });

  it('filters the catalog by language and downloads with a progress bar', async () => {
    let resolveDownload: (v: InstalledVoiceView) => void = () => {};
    invokeMock.mockImplementation(async (command, args) => {
      if (command === 'list_installed_voices') return installed([]);
      if (command === 'voice_catalog') return catalog((args as { language: string | null }).language);
      if (command === 'voice_catalog_address') return address;
      if (command === 'download_catalog_voice') return new Promise((r) => (resolveDownload = r));
      throw new Error(`unexpected ${command}`);
    });
    render(VoicesScreen);
    await fireEvent.click(await screen.findByTestId('voices-tab-catalog'));
    expect(await screen.findByTestId('catalog-row-de_DE-thorsten-low')).toBeInTheDocument();
    await fireEvent.change(screen.getByTestId('catalog-language'), { target: { value: 'en_US' } });
    await vi.waitFor(() => expect(screen.queryByTestId('catalog-row-de_DE-thorsten-low')).not.toBeInTheDocument());
    expect(invokeMock).toHaveBeenCalledWith('voice_catalog', { language: 'en_US' });

    await fireEvent.click(screen.getByTestId('download-en_US-joe-medium'));
    const channel = FakeChannel.created.at(-1) as FakeChannel<VoiceDownloadProgress>;
    channel.send({ received_bytes: 31_603_091, total_bytes: 63_206_182 });
    await vi.waitFor(() =>
      expect(screen.getByTestId('download-progress-en_US-joe-medium')).toHaveAttribute('value', '50'),
    );
    expect(screen.getByTestId('cancel-download-en_US-joe-medium')).toBeInTheDocument();
    resolveDownload(joe);
    expect(await screen.findByTestId('catalog-installed-en_US-joe-medium')).toHaveTextContent('Installed');
  });

  it('cancels a download, and shows a checksum refusal beside the voice', async () => {
    let rejectDownload: (e: unknown) => void = () => {};
    invokeMock.mockImplementation(async (command) => {
      if (command === 'list_installed_voices') return installed([]);
      if (command === 'voice_catalog') return catalog(null);
      if (command === 'voice_catalog_address') return address;
      if (command === 'download_catalog_voice') return new Promise((_, reject) => (rejectDownload = reject));
      if (command === 'cancel_voice_download') {
        rejectDownload(refusal('cancelled', 'The download was cancelled; nothing was installed.', 'download_cancelled'));
        return true;
      }
      throw new Error(`unexpected ${command}`);
    });
    render(VoicesScreen);
    await fireEvent.click(await screen.findByTestId('voices-tab-catalog'));
    await fireEvent.click(await screen.findByTestId('download-en_US-joe-medium'));
    await fireEvent.click(await screen.findByTestId('cancel-download-en_US-joe-medium'));
    expect(invokeMock).toHaveBeenCalledWith('cancel_voice_download', { key: 'en_US-joe-medium' });
    expect(await screen.findByTestId('download-en_US-joe-medium')).toBeInTheDocument();
    expect(screen.queryByTestId('download-error-en_US-joe-medium')).not.toBeInTheDocument();

    await fireEvent.click(screen.getByTestId('download-en_US-joe-medium'));
    rejectDownload(
      refusal(
        'voice_invalid',
        'en_US-joe-medium.onnx does not match the catalog (MD5 0f…, expected 9a…); it was deleted and nothing was installed.',
        'voice_checksum_mismatch',
      ),
    );
    expect(await screen.findByTestId('download-error-en_US-joe-medium')).toHaveTextContent(
      'does not match the catalog (MD5 0f…, expected 9a…); it was deleted and nothing was installed. [voice_checksum_mismatch]',
    );
  });
  it('saves a catalog address, reloads the catalog from it, and goes back to the default', async () => {
    const mirror = 'http://192.168.1.20:8080/piper-voices';
    let current: CatalogAddress = address;
    invokeMock.mockImplementation(async (command, args) => {
      if (command === 'list_installed_voices') return installed([]);
      if (command === 'voice_catalog') return { ...catalog(null), url: current.url };
      if (command === 'voice_catalog_address') return current;
      if (command === 'set_voice_catalog_address') {
        const url = (args as { url: string | null }).url;
        if (url === 'ftp://nowhere') throw refusal('invalid_input', 'The voice catalog must be an http(s) address.', 'url');
        current = url === null ? address : { url, source: 'setting', default_url: DEFAULT_CATALOG };
        return current;
      }
      throw new Error(`unexpected ${command}`);
    });
    render(VoicesScreen);
    await fireEvent.click(await screen.findByTestId('voices-tab-catalog'));
    const field = (await screen.findByTestId('catalog-url')) as HTMLInputElement;
    expect(field.placeholder).toBe(DEFAULT_CATALOG);

    await fireEvent.input(field, { target: { value: 'ftp://nowhere' } });
    await fireEvent.click(screen.getByTestId('save-catalog-url'));
    expect(await screen.findByTestId('catalog-url-error')).toHaveTextContent('must be an http(s) address');

    await fireEvent.input(field, { target: { value: mirror } });
    await fireEvent.click(screen.getByTestId('save-catalog-url'));
    expect(invokeMock).toHaveBeenCalledWith('set_voice_catalog_address', { url: mirror });
    expect(await screen.findByText(mirror)).toBeInTheDocument();
    expect(screen.queryByTestId('catalog-url-error')).not.toBeInTheDocument();

    await fireEvent.click(screen.getByTestId('reset-catalog-url'));
    expect(invokeMock).toHaveBeenCalledWith('set_voice_catalog_address', { url: null });
    await vi.waitFor(() => expect(screen.queryByTestId('reset-catalog-url')).not.toBeInTheDocument());
    expect(field.value).toBe('');
  });

  it('shows the address but no way to change it while the environment pins it, even when the catalog is unreachable', async () => {
    invokeMock.mockImplementation(async (command) => {
      if (command === 'list_installed_voices') return installed([]);
      if (command === 'voice_catalog') throw refusal('provider', 'The voice catalog could not be reached.', 'catalog_unreachable');
      if (command === 'voice_catalog_address')
        return { url: 'http://127.0.0.1:9/voices', source: 'environment', default_url: DEFAULT_CATALOG };
      throw new Error(`unexpected ${command}`);
    });
    render(VoicesScreen);
    await fireEvent.click(await screen.findByTestId('voices-tab-catalog'));
    expect(await screen.findByTestId('catalog-error')).toHaveTextContent('could not be reached');
    expect(await screen.findByTestId('catalog-url-pinned')).toHaveTextContent('SHOWRUNNER_PIPER_CATALOG_URL');
    expect(screen.getByTestId('catalog-url')).toBeDisabled();
    expect(screen.getByTestId('save-catalog-url')).toBeDisabled();
  });
});
