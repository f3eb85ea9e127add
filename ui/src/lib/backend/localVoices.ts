// The Voices section's commands (src-tauri/src/commands/local_voices.rs): installed Piper voices and the
// voice catalog. A refused install or download leaves nothing installed; its coded error says why.

import { Channel } from '@tauri-apps/api/core';
import type {
  CatalogAddress,
  InstalledVoiceView,
  PlaybackView,
  VoiceCatalogView,
  VoiceDownloadProgress,
  VoicesView,
} from './bindings';
import { call } from './call';

export const listInstalledVoices = () => call<VoicesView>('list_installed_voices');
/** `path` is the `.onnx`; `configPath` its `.onnx.json` when it is not beside the model. */
export const installVoice = (path: string, configPath: string | null = null) =>
  call<InstalledVoiceView>('install_voice', { path, configPath });
export const removeVoice = (name: string) => call<void>('remove_voice', { name });
export const playVoiceSample = (voice: string) => call<PlaybackView>('play_voice_sample', { voice });
export const voiceCatalog = (language: string | null) => call<VoiceCatalogView>('voice_catalog', { language });
export const voiceCatalogAddress = () => call<CatalogAddress>('voice_catalog_address');
/** `url` null or blank: back to the default catalog. */
export const setVoiceCatalogAddress = (url: string | null) =>
  call<CatalogAddress>('set_voice_catalog_address', { url });
export const cancelVoiceDownload = (key: string) => call<boolean>('cancel_voice_download', { key });

/** Downloads and installs `key`, calling `onProgress` as bytes arrive. */
export function downloadCatalogVoice(
  key: string,
  onProgress: (progress: VoiceDownloadProgress) => void,
): Promise<InstalledVoiceView> {
  const channel = new Channel<VoiceDownloadProgress>();
  channel.onmessage = onProgress;
  return call<InstalledVoiceView>('download_catalog_voice', { key, onProgress: channel });
}

export const VOICE_MODEL_FILTER = { name: 'Piper voice model (.onnx)', extensions: ['onnx'] };
export const VOICE_CONFIG_FILTER = { name: "Piper voice config (.onnx.json)", extensions: ['json'] };
