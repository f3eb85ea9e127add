// The host-voice pickers' command (src-tauri/src/commands/voices.rs).

import type { VoiceOption } from './bindings';
import { call } from './call';

/** Rejects with `no_key` when the engine's key is missing, `provider` when the engine refused. */
export const listVoices = (engineId: string) => call<VoiceOption[]>('list_voices', { engineId });
