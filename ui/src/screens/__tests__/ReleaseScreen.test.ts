import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import ReleaseScreen from '../ReleaseScreen.svelte';
import { FakeChannel } from '../../test-utils/tauri';
import { episode } from '../../test-utils/fixtures';
import type { PlaybackView, ReleaseView } from '../../lib/backend/bindings';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);

const release: ReleaseView = {
  episode: episode({ status: 'awaiting_release' }),
  master: {
    wav: 'w',
    mp3: 'm',
    duration_ms: 4000,
    sample_rate: 24000,
    cues: [
      { line_id: 'S1-L1', speaker: 'Alex', text: 'Welcome to Deep Dive.', start_ms: 0, end_ms: 1500 },
      { line_id: 'S1-L2', speaker: 'Sam', text: 'Lighthouses!', start_ms: 1800, end_ms: 4000 },
    ],
    figures: null,
    chapters: [],
  },
  master_version: 2,
  mp3_path: '/a.mp3',
  wav_path: '/a.wav',
  audio_report: null,
  evaluation: null,
  show_notes: { title: 'Lights', summary: 'About lighthouses.', chapters: [], citations: [], promo: [] },
  spent: 1_000,
  budget_cap: 33_250_000,
  redo_stages: [
    { stage: 'script.write', label: 'Write the script' },
    { stage: 'plan', label: 'Plan' },
  ],
  gate_reports: [],
};

const idle: PlaybackView = { loaded: '/a.wav', playing: false, position_ms: 0, duration_ms: 4000, finished: false };

beforeEach(() => {
  invokeMock.mockReset();
  invokeMock.mockImplementation(async (command) => {
    switch (command) {
      case 'get_release':
        return release;
      case 'player_load':
      case 'player_pause':
        return idle;
      case 'player_play':
        return { ...idle, playing: true };
      case 'player_seek':
        return { ...idle, position_ms: 1800 };
      default:
        return undefined;
    }
  });
});

function playerChannel(): FakeChannel<PlaybackView> {
  const call = invokeMock.mock.calls.find(([command]) => command === 'watch_player');
  const args = call?.[1] as { onState: FakeChannel<PlaybackView> } | undefined;
  if (!args) throw new Error('watch_player was not called');
  return args.onState;
}

describe('ReleaseScreen', () => {
  it('loads the master, plays it, and follows the position from the watch_player channel', async () => {
    render(ReleaseScreen, { props: { episodeId: 'ep-1' } });
    await fireEvent.click(await screen.findByTestId('player-play'));
    expect(invokeMock).toHaveBeenCalledWith('player_load', { episodeId: 'ep-1' });
    expect(invokeMock).toHaveBeenCalledWith('player_play', undefined);
    expect(await screen.findByTestId('player-pause')).toBeInTheDocument();

    playerChannel().send({ ...idle, playing: true, position_ms: 2100 });
    await vi.waitFor(() =>
      expect(screen.getByTestId('player-position')).toHaveAttribute('data-position-ms', '2100'),
    );
    expect(screen.getByTestId('cue-S1-L2')).toHaveAttribute('aria-current', 'true');
    expect(screen.getByTestId('cue-S1-L1')).not.toHaveAttribute('aria-current');
    expect(screen.getByTestId('show-notes')).toHaveTextContent('About lighthouses.');
  });

  it('seeks when a transcript line is clicked', async () => {
    render(ReleaseScreen, { props: { episodeId: 'ep-1' } });
    await fireEvent.click(await screen.findByTestId('cue-S1-L2'));
    expect(invokeMock).toHaveBeenCalledWith('player_seek', { positionMs: 1800 });
  });

  it('requires a note to send the episode back to a chosen stage', async () => {
    render(ReleaseScreen, { props: { episodeId: 'ep-1' } });
    await fireEvent.click(await screen.findByTestId('send-back'));
    expect(await screen.findByText('Say what should change, so the crew knows what to redo.')).toBeInTheDocument();
    expect(invokeMock).not.toHaveBeenCalledWith('send_back', expect.anything());

    await fireEvent.change(screen.getByTestId('send-back-stage'), { target: { value: 'plan' } });
    await fireEvent.input(screen.getByTestId('send-back-note'), { target: { value: 'Tighter plan' } });
    await fireEvent.click(screen.getByTestId('send-back'));
    await vi.waitFor(() =>
      expect(invokeMock).toHaveBeenCalledWith('send_back', { episodeId: 'ep-1', stage: 'plan', note: 'Tighter plan' }),
    );
  });

  it('approves the release', async () => {
    render(ReleaseScreen, { props: { episodeId: 'ep-1' } });
    await fireEvent.click(await screen.findByTestId('approve-release'));
    await vi.waitFor(() => expect(invokeMock).toHaveBeenCalledWith('approve_release', { episodeId: 'ep-1', note: '' }));
    expect(window.location.hash).toBe('#/episodes/ep-1');
  });
});
