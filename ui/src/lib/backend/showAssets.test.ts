import { beforeEach, describe, expect, it, vi } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import { open } from '@tauri-apps/plugin-dialog';
import * as assets from './showAssets';
import { BackendError } from './errors';
import { apiError } from '../../test-utils/tauri';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn() }));

const invokeMock = vi.mocked(invoke);
const openMock = vi.mocked(open);

beforeEach(() => {
  invokeMock.mockReset();
  invokeMock.mockResolvedValue(undefined);
  openMock.mockReset();
});

describe('show assets adapter', () => {
  it('calls each of the four commands the shell registers by name with camelCase arguments', async () => {
    const calls: [() => Promise<unknown>, string, Record<string, unknown>][] = [
      [() => assets.setShowMusic('s1', 'intro', '/a.wav'), 'set_show_music', { showId: 's1', slot: 'intro', path: '/a.wav' }],
      [() => assets.clearShowMusic('s1', 'sting'), 'clear_show_music', { showId: 's1', slot: 'sting' }],
      [() => assets.setShowArtwork('s1', '/c.png'), 'set_show_artwork', { showId: 's1', path: '/c.png' }],
      [() => assets.clearShowArtwork('s1'), 'clear_show_artwork', { showId: 's1' }],
    ];
    for (const [run, name, args] of calls) {
      invokeMock.mockClear();
      await run();
      expect(invokeMock).toHaveBeenCalledWith(name, args);
    }
  });

  it('rejects with the coded error', async () => {
    invokeMock.mockRejectedValueOnce(apiError('music_unreadable', 'x.mp3 cannot be decoded.'));
    const e = await assets.setShowMusic('s1', 'intro', '/x.mp3').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(BackendError);
    expect((e as BackendError).code).toBe('music_unreadable');
  });

  it('picks one file, or null when cancelled', async () => {
    openMock.mockResolvedValueOnce('/m/bed.ogg');
    await expect(assets.pickFile('Choose', assets.MUSIC_FILTER)).resolves.toBe('/m/bed.ogg');
    openMock.mockResolvedValueOnce(null);
    await expect(assets.pickFile('Choose', assets.ARTWORK_FILTER)).resolves.toBeNull();
    expect(openMock).toHaveBeenLastCalledWith(expect.objectContaining({ directory: false, filters: [assets.ARTWORK_FILTER] }));
  });
});
