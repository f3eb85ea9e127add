// The "Music & artwork" section's pure logic: what each slot is called, and how a stored file is described.

import type { Artwork, MusicFile, MusicSlot } from './backend/bindings';
import { formatDuration } from './format';

// The ranges the backend validates (crates/domain/src/show_assets.rs).
export const MIN_DUCK_DEPTH_DB = 6;
export const MAX_DUCK_DEPTH_DB = 30;
export const MIN_BED_LEVEL_LU = -20;
export const MAX_BED_LEVEL_LU = 0;
export const MIN_ARTWORK_PX = 1400;
export const MAX_ARTWORK_PX = 3000;

export const MUSIC_SLOTS: { slot: MusicSlot; label: string; hint: string }[] = [
  { slot: 'intro', label: 'Intro bed', hint: 'Opens the episode, then sits under the first lines.' },
  { slot: 'outro', label: 'Outro bed', hint: 'Comes up under the last line and plays out.' },
  { slot: 'sting', label: 'Segment sting', hint: 'A short cue between segments.' },
];

function kilobytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** "0:12 · 48 kHz stereo · 1.2 MB" (the file name is shown beside it). */
export function describeMusic(file: MusicFile): string {
  const rate = `${(file.sample_rate / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} kHz`;
  const layout = file.channels === 1 ? 'mono' : file.channels === 2 ? 'stereo' : `${file.channels} channels`;
  return `${formatDuration(file.duration_ms)} · ${rate} ${layout} · ${kilobytes(file.asset.bytes)}`;
}

/** "1400×1400 px · PNG · 210 KB" */
export function describeArtwork(art: Artwork): string {
  const kind = art.mime_type === 'image/png' ? 'PNG' : 'JPEG';
  return `${art.width}×${art.height} px · ${kind} · ${kilobytes(art.asset.bytes)}`;
}
