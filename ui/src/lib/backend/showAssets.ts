// A show's own files (src-tauri/src/commands/show_assets.rs): music beds, the sting and the cover art,
// picked with the native file dialog. Each upload returns the show as stored; a refused file (an api
// `music_unreadable`, `artwork_invalid` or `asset_too_large`) leaves it unchanged.

import { open } from '@tauri-apps/plugin-dialog';
import type { MusicSlot, Show } from './bindings';
import { call } from './call';
import { toBackendError } from './errors';

export const setShowMusic = (showId: string, slot: MusicSlot, path: string) =>
  call<Show>('set_show_music', { showId, slot, path });
export const clearShowMusic = (showId: string, slot: MusicSlot) => call<Show>('clear_show_music', { showId, slot });
export const setShowArtwork = (showId: string, path: string) => call<Show>('set_show_artwork', { showId, path });
export const clearShowArtwork = (showId: string) => call<Show>('clear_show_artwork', { showId });

export const MUSIC_FILTER = { name: 'Music (WAV, MP3, FLAC, Ogg)', extensions: ['wav', 'mp3', 'flac', 'ogg'] };
export const ARTWORK_FILTER = { name: 'Cover art (PNG, JPEG)', extensions: ['png', 'jpg', 'jpeg'] };

/** The native file picker for one file; `null` when the producer cancels. */
export async function pickFile(title: string, filter: { name: string; extensions: string[] }): Promise<string | null> {
  try {
    const picked = await open({ directory: false, multiple: false, title, filters: [filter] });
    return typeof picked === 'string' ? picked : null;
  } catch (error) {
    throw toBackendError(error);
  }
}
