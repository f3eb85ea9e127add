import { beforeEach, describe, expect, it, vi } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { EPISODE_CHANGED, onEpisodeChanged, watchPlayer, watchRun } from './events';
import { FakeChannel } from '../../test-utils/tauri';
import { runView } from '../../test-utils/fixtures';
import type { PlaybackView, RunView } from './bindings';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

const invokeMock = vi.mocked(invoke);
const listenMock = vi.mocked(listen);

beforeEach(() => {
  invokeMock.mockReset();
  invokeMock.mockResolvedValue(undefined);
  listenMock.mockReset();
});

function lastChannel<T>(): FakeChannel<T> {
  const channel = FakeChannel.created.at(-1);
  if (!channel) throw new Error('no channel was created');
  return channel as FakeChannel<T>;
}

describe('watchRun', () => {
  it('passes a channel as onProgress and delivers every view until stopped', async () => {
    const views: RunView[] = [];
    const sub = watchRun('run-1', (v) => views.push(v));
    await sub.ready;
    const channel = lastChannel<RunView>();
    expect(invokeMock).toHaveBeenCalledWith('watch_run', { runId: 'run-1', onProgress: channel });

    channel.send(runView({ spent: 1 }));
    channel.send(runView({ spent: 2 }));
    sub.stop();
    channel.send(runView({ spent: 3 }));
    expect(views.map((v) => v.spent)).toEqual([1, 2]);
  });

  it('reports a refused subscription through ready', async () => {
    invokeMock.mockRejectedValueOnce({ code: 'not_found', message: 'That run was not found', details: null });
    const sub = watchRun('nope', () => {});
    await expect(sub.ready).rejects.toMatchObject({ code: 'not_found', message: 'That run was not found' });
  });
});

describe('watchPlayer', () => {
  it('streams playback states on onState', async () => {
    const states: PlaybackView[] = [];
    const sub = watchPlayer((s) => states.push(s));
    await sub.ready;
    const channel = lastChannel<PlaybackView>();
    expect(invokeMock).toHaveBeenCalledWith('watch_player', { onState: channel });
    channel.send({ loaded: 'x.wav', playing: true, position_ms: 320, duration_ms: 1000, finished: false });
    expect(states[0]?.position_ms).toBe(320);
  });
});

describe('onEpisodeChanged', () => {
  it('listens to the app-wide episode-changed event and hands over its payload', async () => {
    const unlisten = vi.fn();
    let handler: ((event: { payload: unknown }) => void) | undefined;
    listenMock.mockImplementation(async (name, h) => {
      expect(name).toBe(EPISODE_CHANGED);
      handler = h as typeof handler;
      return unlisten;
    });
    const seen: unknown[] = [];
    const stop = await onEpisodeChanged((c) => seen.push(c));
    handler?.({ payload: { episode_id: 'ep-1', status: 'released', topic: 'Tides', budget_notices: [] } });
    expect(seen).toEqual([{ episode_id: 'ep-1', status: 'released', topic: 'Tides', budget_notices: [] }]);
    stop();
    expect(unlisten).toHaveBeenCalled();
    expect(EPISODE_CHANGED).toBe('episode-changed');
  });
});
