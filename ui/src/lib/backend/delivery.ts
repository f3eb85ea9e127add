// The delivery package: export (with the native folder picker and "show in folder"), the release gate's
// waveform and a show's feed settings (src-tauri/src/commands/delivery.rs). Only this adapter folder talks to
// the Tauri plugins.

import { revealItemInDir } from '@tauri-apps/plugin-opener';
import type { ExportedPackage, FeedSettings, WaveformView } from './bindings';
import { call } from './call';
import { toBackendError } from './errors';

/** Exports into `parent`: the package becomes a new folder inside it. */
export const exportEpisode = (episodeId: string, parent: string, draft: boolean) =>
  call<ExportedPackage>('export_episode', { episodeId, parent, draft });
export const getWaveform = (episodeId: string) => call<WaveformView>('get_waveform', { episodeId });
export const feedSettings = (showId: string) => call<FeedSettings | null>('feed_settings', { showId });
export const setFeedSettings = (showId: string, settings: FeedSettings) =>
  call<FeedSettings>('set_feed_settings', { showId, settings });

/** The native folder picker, opened by the shell; `null` when the producer cancels. */
export const pickFolder = (title: string) => call<string | null>('pick_export_folder', { title });

/** Opens the system file manager with `path` selected. */
export async function revealInFolder(path: string): Promise<void> {
  try {
    await revealItemInDir(path);
  } catch (error) {
    throw toBackendError(error);
  }
}
