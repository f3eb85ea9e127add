import '@testing-library/jest-dom/vitest';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import { open } from '@tauri-apps/plugin-dialog';
import MusicArtworkEditor from '../shows/MusicArtworkEditor.svelte';
import type { MusicFile, ShowMusic } from '../../lib/backend/bindings';
import { apiError } from '../../test-utils/tauri';
import { show } from '../../test-utils/fixtures';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn() }));

const invokeMock = vi.mocked(invoke);
const openMock = vi.mocked(open);

const bed = (file_name: string, duration_ms: number): MusicFile => ({
  asset: { blob: 'a'.repeat(64), ext: 'wav', file_name, bytes: 2 * 1024 * 1024 },
  duration_ms,
  sample_rate: 48_000,
  channels: 2,
});

const music = (over: Partial<ShowMusic> = {}): ShowMusic => ({
  intro: null,
  outro: null,
  sting: null,
  duck_depth_db: 15,
  bed_level_lu: -6,
  ...over,
});

beforeEach(() => {
  invokeMock.mockReset();
  openMock.mockReset();
});

describe('MusicArtworkEditor', () => {
  it("shows each filled slot's file name and length, and the levels with their ranges", () => {
    render(MusicArtworkEditor, {
      showId: 's1',
      music: music({ intro: bed('Harbour Theme.wav', 72_000) }),
      artwork: null,
      errors: {},
    });
    expect(screen.getByTestId('music-intro-file')).toHaveTextContent('Harbour Theme.wav');
    expect(screen.getByTestId('music-intro-about')).toHaveTextContent('1:12 · 48 kHz stereo · 2.0 MB');
    expect(screen.getByTestId('music-outro')).toHaveTextContent('None.');
    expect(screen.getByTestId('music-duck')).toHaveValue(15);
    expect(screen.getByTestId('music-duck')).toHaveAttribute('min', '6');
    expect(screen.getByTestId('music-duck')).toHaveAttribute('max', '30');
    expect(screen.getByTestId('music-level')).toHaveAttribute('min', '-20');
  });

  it('uploads the picked file and shows what the backend stored', async () => {
    openMock.mockResolvedValue('/home/ana/Music/sting.flac');
    const stored = show('s1', 'Deep Dive');
    stored.brand.music.sting = bed('sting.flac', 1_500);
    invokeMock.mockResolvedValue(stored);
    const onStored = vi.fn();
    render(MusicArtworkEditor, { showId: 's1', music: music(), artwork: null, errors: {}, onStored });
    const sting = screen.getByTestId('music-sting');
    await fireEvent.click(sting.querySelector('button') as HTMLButtonElement);
    expect(await screen.findByTestId('music-sting-file')).toHaveTextContent('sting.flac');
    expect(openMock).toHaveBeenCalledWith(
      expect.objectContaining({ multiple: false, filters: [expect.objectContaining({ extensions: ['wav', 'mp3', 'flac', 'ogg'] })] }),
    );
    expect(invokeMock).toHaveBeenCalledWith('set_show_music', {
      showId: 's1',
      slot: 'sting',
      path: '/home/ana/Music/sting.flac',
    });
    expect(onStored).toHaveBeenCalledWith(stored);
  });

  it("shows the backend's refusal beside the slot and keeps the file that was there", async () => {
    openMock.mockResolvedValue('/tmp/notes.mp3');
    invokeMock.mockRejectedValue(
      apiError('music_unreadable', 'notes.mp3 cannot be the intro music: it cannot be decoded.'),
    );
    render(MusicArtworkEditor, {
      showId: 's1',
      music: music({ intro: bed('old.wav', 5_000) }),
      artwork: null,
      errors: {},
    });
    await fireEvent.click(screen.getByTestId('music-intro').querySelector('button') as HTMLButtonElement);
    const error = await screen.findByTestId('music-intro-error');
    expect(error).toHaveTextContent('notes.mp3 cannot be the intro music');
    expect(screen.queryByTestId('music-outro-error')).not.toBeInTheDocument();
    expect(screen.getByTestId('music-intro-file')).toHaveTextContent('old.wav');
  });

  it('reports an artwork refusal beside the artwork and removes music with its command', async () => {
    openMock.mockResolvedValue('/tmp/small.png');
    invokeMock.mockRejectedValueOnce(apiError('artwork_invalid', 'small.png is 500×500 px; cover art must be square.'));
    render(MusicArtworkEditor, {
      showId: 's1',
      music: music({ outro: bed('outro.wav', 9_000) }),
      artwork: null,
      errors: {},
    });
    await fireEvent.click(screen.getByTestId('artwork').querySelector('button') as HTMLButtonElement);
    expect(await screen.findByTestId('artwork-error')).toHaveTextContent('500×500');

    invokeMock.mockResolvedValueOnce(show('s1', 'Deep Dive'));
    await fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(invokeMock).toHaveBeenLastCalledWith('clear_show_music', { showId: 's1', slot: 'outro' });
    expect(await screen.findByText(/None\. Comes up under the last line/)).toBeInTheDocument();
  });

  it('asks for the show to be created before files can be added', () => {
    render(MusicArtworkEditor, { showId: null, music: music(), artwork: null, errors: {} });
    expect(screen.getByTestId('music-after-create')).toBeInTheDocument();
    for (const button of screen.getAllByRole('button', { name: 'Choose…' })) expect(button).toBeDisabled();
  });
});
