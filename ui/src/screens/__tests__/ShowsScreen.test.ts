import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import ShowsScreen from '../ShowsScreen.svelte';
import { apiError } from '../../test-utils/tauri';
import { show } from '../../test-utils/fixtures';
import type { BrandVoice, Show, VoiceOption } from '../../lib/backend/bindings';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);

const ELEVENLABS_VOICES: VoiceOption[] = [
  {
    id: '21m00Tcm4TlvDq8ikWAM',
    name: 'Rachel',
    preview_url: 'https://storage.example/rachel.mp3',
    description: 'american, female',
    language: null,
  },
  { id: 'Zq7hostClonedVoice01', name: 'Nadia', preview_url: null, description: null, language: null },
];
const OPENAI_VOICES: VoiceOption[] = [
  { id: 'alloy', name: 'Alloy', preview_url: null, description: null, language: null },
  { id: 'echo', name: 'Echo', preview_url: null, description: null, language: null },
];

/** Answers each command; `voices` per engine is a list or the error the backend would reject with. */
function backend(voices: Record<string, VoiceOption[] | ReturnType<typeof apiError>>, onUpdate?: () => unknown) {
  invokeMock.mockImplementation(async (command, args) => {
    switch (command) {
      case 'list_shows':
        return [show('show-1', 'Deep Dive')] satisfies Show[];
      case 'list_voices': {
        const engineId = (args as { engineId: string }).engineId;
        // No Piper voice installed unless a test says otherwise, as on a fresh machine.
        const answer =
          voices[engineId] ?? (engineId === 'piper' ? apiError('not_found', "No voice called '(any)' is installed.") : undefined);
        if (answer === undefined || !Array.isArray(answer)) throw answer;
        return answer;
      }
      case 'update_show':
        return onUpdate?.();
      default:
        throw apiError('internal', `unexpected command ${command}`);
    }
  });
}

async function openShow() {
  render(ShowsScreen);
  await fireEvent.click(await screen.findByTestId('show-item-show-1'));
}

function savedBrand(): BrandVoice {
  const call = invokeMock.mock.calls.find(([command]) => command === 'update_show');
  return (call?.[1] as { brand: BrandVoice }).brand;
}

beforeEach(() => {
  invokeMock.mockReset();
});

describe('ShowsScreen host voices', () => {
  it('lists each keyed engine’s voices per host and saves the picks per engine', async () => {
    backend({ elevenlabs: ELEVENLABS_VOICES, openai_tts: OPENAI_VOICES }, () => show('show-1', 'Deep Dive'));
    await openShow();

    const alexEleven = await screen.findByTestId('host-0-voice-elevenlabs');
    expect(within(alexEleven).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Automatic (first free voice)',
      'Rachel — american, female',
      'Nadia',
    ]);
    expect(screen.getByLabelText('OpenAI TTS voice', { selector: '#host-1-voice-openai_tts' })).toBeInTheDocument();
    expect(invokeMock).toHaveBeenCalledWith('list_voices', { engineId: 'elevenlabs' });
    expect(invokeMock).toHaveBeenCalledWith('list_voices', { engineId: 'openai_tts' });

    const preview = screen.getByTestId('host-0-voice-elevenlabs-preview');
    expect(preview).toBeDisabled();
    await fireEvent.change(alexEleven, { target: { value: '21m00Tcm4TlvDq8ikWAM' } });
    expect(preview).toBeEnabled();
    expect(preview).toHaveAccessibleName('Preview Rachel');
    await fireEvent.change(screen.getByTestId('host-1-voice-elevenlabs'), {
      target: { value: 'Zq7hostClonedVoice01' },
    });
    expect(screen.getByTestId('host-1-voice-elevenlabs-preview')).toBeDisabled();
    await fireEvent.change(screen.getByTestId('host-1-voice-openai_tts'), { target: { value: 'echo' } });

    await fireEvent.click(screen.getByTestId('show-save'));
    await vi.waitFor(() => expect(savedBrand()).toBeDefined());
    expect(savedBrand().hosts.map((h) => h.voices)).toEqual([
      { elevenlabs: '21m00Tcm4TlvDq8ikWAM' },
      { elevenlabs: 'Zq7hostClonedVoice01', openai_tts: 'echo' },
    ]);
  });

  it('offers the installed Piper voices per host and saves the pick', async () => {
    const piper: VoiceOption[] = [
      { id: 'en_US-joe-medium', name: 'en_US-joe-medium', preview_url: null, description: null, language: 'en_US' },
      {
        id: 'en_US-joe-medium@slower',
        name: 'en_US-joe-medium (slower pace)',
        preview_url: null,
        description: null,
        language: 'en_US',
      },
    ];
    backend({ piper }, () => show('show-1', 'Deep Dive'));
    await openShow();
    const samPiper = await screen.findByTestId('host-1-voice-piper');
    expect(within(samPiper).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Automatic (first free voice)',
      'en_US-joe-medium',
      'en_US-joe-medium (slower pace)',
    ]);
    await fireEvent.change(samPiper, { target: { value: 'en_US-joe-medium@slower' } });
    await fireEvent.click(screen.getByTestId('show-save'));
    await vi.waitFor(() => expect(savedBrand()).toBeDefined());
    expect(savedBrand().hosts.map((h) => h.voices)).toEqual([{}, { piper: 'en_US-joe-medium@slower' }]);
  });

  it("offers only the voices that speak the show's language, and says when none does", async () => {
    const piper: VoiceOption[] = [
      { id: 'en_US-joe-medium', name: 'en_US-joe-medium', preview_url: null, description: null, language: 'en_US' },
      { id: 'de_DE-thorsten-medium', name: 'de_DE-thorsten-medium', preview_url: null, description: null, language: 'de_DE' },
    ];
    backend({ piper, openai_tts: OPENAI_VOICES }, () => show('show-1', 'Deep Dive'));
    await openShow();
    const options = (id: string) => within(screen.getByTestId(id)).getAllByRole('option').map((o) => o.textContent);
    await screen.findByTestId('host-0-voice-piper');
    expect(options('host-0-voice-piper')).toEqual([
      'Automatic (first free voice)',
      'en_US-joe-medium',
    ]);
    await fireEvent.change(screen.getByTestId('show-language'), { target: { value: 'de' } });
    await vi.waitFor(() =>
      expect(options('host-0-voice-piper')).toEqual(['Automatic (first free voice)', 'de_DE-thorsten-medium']),
    );
    // OpenAI's voices speak any language: still offered.
    expect(options('host-0-voice-openai_tts')).toContain('Alloy');
    await fireEvent.change(screen.getByTestId('show-language'), { target: { value: 'ru' } });
    await vi.waitFor(() => expect(screen.queryByTestId('host-0-voice-piper')).not.toBeInTheDocument());
    expect(screen.getByTestId('voices-piper-status')).toHaveTextContent('speaks Russian (Русский)');
  });

  it('says where to install a Piper voice when none is installed', async () => {
    backend({}, () => show('show-1', 'Deep Dive'));
    await openShow();
    expect(await screen.findByTestId('voices-piper-status')).toHaveTextContent('Install one under Voices');
    expect(screen.queryByTestId('host-0-voice-piper')).not.toBeInTheDocument();
  });

  it('says to add a key instead of offering a picker for an engine without one', async () => {
    backend({
      elevenlabs: apiError('no_key', 'Add an ElevenLabs key to choose its voices.'),
      openai_tts: apiError('provider', 'OpenAI refused the request.'),
    });
    await openShow();

    expect(await screen.findByText('Add an ElevenLabs key to choose its voices.')).toBeInTheDocument();
    expect(await screen.findByTestId('voices-openai_tts-status')).toHaveTextContent('OpenAI refused the request.');
    expect(screen.queryByTestId('host-0-voice-elevenlabs')).not.toBeInTheDocument();
    expect(screen.queryByTestId('host-0-voice-openai_tts')).not.toBeInTheDocument();
  });

  it('says when an engine has no voices', async () => {
    backend({ elevenlabs: [], openai_tts: OPENAI_VOICES });
    await openShow();
    expect(await screen.findByTestId('voices-elevenlabs-status')).toHaveTextContent(
      'Your ElevenLabs account has no voices yet.',
    );
    expect(await screen.findByTestId('host-0-voice-openai_tts')).toBeInTheDocument();
  });

  it('shows the backend’s voice validation error under that host’s picker', async () => {
    const message = 'Alex already speaks with this voice; give each host a different one.';
    backend({ elevenlabs: ELEVENLABS_VOICES, openai_tts: OPENAI_VOICES }, () => {
      throw apiError('invalid_input', message, { 'hosts[1].voices.elevenlabs': message });
    });
    await openShow();
    for (const i of [0, 1]) {
      await fireEvent.change(await screen.findByTestId(`host-${i}-voice-elevenlabs`), {
        target: { value: 'Zq7hostClonedVoice01' },
      });
    }
    await fireEvent.click(screen.getByTestId('show-save'));

    const error = await screen.findByText(message, { selector: '.field-error' });
    expect(error.id).toBe('host-1-voice-elevenlabs-error');
    const picker = screen.getByTestId('host-1-voice-elevenlabs');
    expect(picker).toHaveAttribute('aria-invalid', 'true');
    expect(picker).toHaveAttribute('aria-describedby', 'host-1-voice-elevenlabs-error');
    expect(screen.getByRole('alert')).toHaveTextContent('Some fields need attention');
  });
});

describe('ShowsScreen delivery settings', () => {
  it('saves the loudness target and format the producer picks', async () => {
    backend({ elevenlabs: ELEVENLABS_VOICES, openai_tts: OPENAI_VOICES }, () => show('show-1', 'Deep Dive'));
    await openShow();
    await fireEvent.input(await screen.findByTestId('mastering-target'), { target: { value: '-19' } });
    await fireEvent.change(screen.getByLabelText('MP3 bitrate'), { target: { value: '192' } });
    await fireEvent.change(screen.getByLabelText('Channels'), { target: { value: '2' } });
    await fireEvent.click(screen.getByTestId('show-save'));

    await vi.waitFor(() => expect(savedBrand()).toBeDefined());
    expect(savedBrand().mastering).toEqual({
      target_lufs: -19,
      ceiling_dbtp: -1,
      bitrate_kbps: 192,
      channels: 2,
      sample_rate: 44100,
    });
  });

  it('shows the backend’s loudness error beside the loudness field', async () => {
    const message = 'Target loudness must be between -24 and -14 LUFS.';
    backend({ elevenlabs: ELEVENLABS_VOICES, openai_tts: OPENAI_VOICES }, () => {
      throw apiError('invalid_input', message, { 'mastering.target_lufs': message });
    });
    await openShow();
    await fireEvent.input(await screen.findByTestId('mastering-target'), { target: { value: '-12' } });
    await fireEvent.click(screen.getByTestId('show-save'));

    const error = await screen.findByText(message, { selector: '.field-error' });
    expect(error.id).toBe('mastering-target_lufs-error');
    expect(screen.getByTestId('mastering-target')).toHaveAttribute('aria-invalid', 'true');
  });
});
