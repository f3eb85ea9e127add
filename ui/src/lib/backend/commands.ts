// One typed function per Tauri command (src-tauri/src/commands/*.rs). Argument names are camelCase, as
// Tauri v2 maps them to the Rust parameters' snake_case. Every rejection becomes a `BackendError`.

import { invoke, type Channel, type InvokeArgs } from '@tauri-apps/api/core';
import type {
  ArtifactView,
  BatchRow,
  BatchRowResult,
  BrandVoice,
  CostEstimate,
  EstimateRequest,
  DashboardView,
  DraftMasterView,
  Episode,
  EpisodeDetail,
  KeepTake,
  KeyStatusView,
  LibraryPageView,
  LibrarySearch,
  LineTakesView,
  NewEpisode,
  PlaybackView,
  ProviderInfo,
  RegenerateLine,
  ReleaseView,
  Revoice,
  RevoiceEstimate,
  RunView,
  ScriptDiff,
  ScriptEdit,
  ScriptVersion,
  ScriptView,
  Show,
  TakeChosen,
  SourceInput,
} from './bindings';
import { toBackendError } from './errors';

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toBackendError(error);
  }
}

// Shows & brand voice
export const listShows = () => call<Show[]>('list_shows');
export const starterBrandVoice = (name: string) => call<BrandVoice>('starter_brand_voice', { name });
export const createShow = (brand: BrandVoice) => call<Show>('create_show', { brand });
export const updateShow = (showId: string, brand: BrandVoice) => call<Show>('update_show', { showId, brand });

// Episodes
export const listEpisodes = () => call<Episode[]>('list_episodes');
/** With `sources`, each is read (a page fetched once) before anything starts; one that cannot be read refuses
 * the start naming it (`details.refused`). */
export const startEpisode = (input: NewEpisode, sources: SourceInput[] = []) =>
  call<Episode>('start_episode', sources.length > 0 ? { input, sources } : { input });
export const getEpisode = (episodeId: string) => call<EpisodeDetail>('get_episode', { episodeId });
/** Checks every row first, then starts the valid ones; each row's result carries its episode or its error. */
export const startEpisodes = (rows: BatchRow[]) => call<BatchRowResult[]>('start_episodes', { rows });
/** What a run of this length should cost on today's routes, per phase (the cap says what is over its share). */
export const estimateCost = (request: EstimateRequest) => call<CostEstimate>('estimate_cost', { request });

// Library & Dashboard
/** One page of the library: words in the topic or script, show and status filters, sort. */
export const searchEpisodes = (search: LibrarySearch) => call<LibraryPageView>('search_episodes', { search });
/** Every Dashboard figure, for one show or (null) all. */
export const dashboard = (showId: string | null) => call<DashboardView>('dashboard', { showId });

// Runs
export const watchRun = (runId: string, onProgress: Channel<RunView>) =>
  call<void>('watch_run', { runId, onProgress });
export const getArtifact = (artifactId: string) => call<ArtifactView>('get_artifact', { artifactId });
export const cancelRun = (runId: string) => call<void>('cancel_run', { runId });
export const resumeRun = (runId: string) => call<void>('resume_run', { runId });

// Script sign-off
export const getScript = (episodeId: string) => call<ScriptView>('get_script', { episodeId });
export const getScriptVersion = (episodeId: string, version: number) =>
  call<ScriptView>('get_script_version', { episodeId, version });
export const scriptVersions = (episodeId: string) => call<ScriptVersion[]>('script_versions', { episodeId });
export const diffScript = (episodeId: string, from: number, to: number) =>
  call<ScriptDiff>('diff_script', { episodeId, from, to });
/** Edits made on `baseVersion`; a newer version refuses them with `conflict` (the newer one in details). */
export const editScript = (episodeId: string, baseVersion: number, edits: ScriptEdit[]) =>
  call<ScriptView>('edit_script', { episodeId, request: { base_version: baseVersion, edits } });
export const editLine = (episodeId: string, lineId: string, text: string, baseVersion: number) =>
  call<ScriptView>('edit_line', { episodeId, lineId, text, baseVersion });
export const restoreScriptVersion = (episodeId: string, version: number, baseVersion: number) =>
  call<ScriptView>('restore_script_version', { episodeId, version, baseVersion });
export const sendBackScript = (episodeId: string, stage: string, note: string) =>
  call<void>('send_back_script', { episodeId, stage, note });
export const approveScript = (episodeId: string, note: string) =>
  call<void>('approve_script', { episodeId, note });

// Release gate
export const getRelease = (episodeId: string) => call<ReleaseView>('get_release', { episodeId });
export const approveRelease = (episodeId: string, note: string) =>
  call<void>('approve_release', { episodeId, note });
export const sendBack = (episodeId: string, stage: string, note: string) =>
  call<void>('send_back', { episodeId, stage, note });

// Line-level audio at the release gate
export const regenerateLine = (episodeId: string, request: RegenerateLine) =>
  call<TakeChosen>('regenerate_line', { episodeId, request });
export const lineTakes = (episodeId: string, lineId: string) =>
  call<LineTakesView>('line_takes', { episodeId, lineId });
export const keepTake = (episodeId: string, request: KeepTake) =>
  call<TakeChosen>('keep_take', { episodeId, request });
export const playerLoadTake = (episodeId: string, lineId: string, take: number) =>
  call<PlaybackView>('player_load_take', { episodeId, lineId, take });
export const draftMaster = (episodeId: string) => call<DraftMasterView | null>('draft_master', { episodeId });
export const playerLoadDraft = (episodeId: string) => call<PlaybackView>('player_load_draft', { episodeId });
export const revoiceEstimate = (episodeId: string, request: Revoice) =>
  call<RevoiceEstimate>('revoice_estimate', { episodeId, request });
export const revoice = (episodeId: string, request: Revoice) =>
  call<RevoiceEstimate>('revoice', { episodeId, request });

// Playback
export const playerLoad = (episodeId: string) => call<PlaybackView>('player_load', { episodeId });
export const playerPlay = () => call<PlaybackView>('player_play');
export const playerPause = () => call<PlaybackView>('player_pause');
export const playerSeek = (positionMs: number) =>
  call<PlaybackView>('player_seek', { positionMs: Math.max(0, Math.round(positionMs)) });
export const watchPlayer = (onState: Channel<PlaybackView>) => call<void>('watch_player', { onState });

// Providers & keys. The key goes straight to the backend (the OS keyring) and is never returned.
export const listProviders = () => call<ProviderInfo[]>('list_providers');
export const setApiKey = (provider: string, key: string) => call<KeyStatusView>('set_api_key', { provider, key });
export const clearApiKey = (provider: string) => call<KeyStatusView>('clear_api_key', { provider });
/** `url: null` puts the provider back on its own address. Replies with the provider's updated card. */
export const setBaseUrl = (provider: string, url: string | null) =>
  call<ProviderInfo>('set_base_url', { provider, url });
