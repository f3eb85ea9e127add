// A producer's sources (src-tauri/src/commands/sources.rs): files, web pages and notes on an episode or
// standing on a show. Adding several returns the ones stored and, apart, each one refused with its coded
// error (`source_unreadable`, `source_too_large`, `source_unreachable`) naming it.

import { open } from '@tauri-apps/plugin-dialog';
import type { ProducerSource, SourceInput, SourcesAdded } from './bindings';
import { call } from './call';
import { BackendError, toBackendError } from './errors';

export const addEpisodeSources = (episodeId: string, inputs: SourceInput[]) =>
  call<SourcesAdded>('add_episode_sources', { episodeId, inputs });
export const listEpisodeSources = (episodeId: string) => call<ProducerSource[]>('list_episode_sources', { episodeId });
export const removeEpisodeSource = (episodeId: string, sourceId: string) =>
  call<null>('remove_episode_source', { episodeId, sourceId });
export const addShowSources = (showId: string, inputs: SourceInput[]) =>
  call<SourcesAdded>('add_show_sources', { showId, inputs });
export const listShowSources = (showId: string) => call<ProducerSource[]>('list_show_sources', { showId });
export const removeShowSource = (showId: string, sourceId: string) =>
  call<null>('remove_show_source', { showId, sourceId });

export const SOURCE_FILTER = {
  name: 'Documents (PDF, Markdown, text, HTML, Word)',
  extensions: ['pdf', 'md', 'markdown', 'txt', 'html', 'htm', 'docx'],
};

/** The native picker for several documents; empty when the producer cancels. */
export async function pickSourceFiles(): Promise<string[]> {
  try {
    const picked = await open({ directory: false, multiple: true, title: 'Add sources', filters: [SOURCE_FILTER] });
    if (picked === null) return [];
    return Array.isArray(picked) ? picked : [picked];
  } catch (error) {
    throw toBackendError(error);
  }
}

/** How a row names its source, as the backend names it in a refusal: the file's name, the address, the note. */
export function sourceName(input: SourceInput): string {
  switch (input.kind) {
    case 'file':
      return input.path.split(/[\\/]/).pop() || input.path;
    case 'url':
      return input.url.trim();
    case 'note': {
      const first = input.text.trim().split('\n')[0]?.trim() ?? '';
      const short = [...first].slice(0, 60).join('');
      return first ? `Note: ${short}${[...first].length > 60 ? '…' : ''}` : 'Note';
    }
  }
}

/** A plain http(s) address, as the backend will fetch it. */
export function isWebAddress(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A refused start's `details.refused`: each refused source's name → its message. */
export function refusalsOf(error: BackendError): Record<string, string> {
  const details = error.details as { refused?: { name?: unknown; error?: { message?: unknown } }[] } | null;
  const out: Record<string, string> = {};
  for (const r of details?.refused ?? []) {
    if (typeof r?.name === 'string' && typeof r.error?.message === 'string') out[r.name] = r.error.message;
  }
  return out;
}
