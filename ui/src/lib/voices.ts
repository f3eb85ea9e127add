// Per-engine host voices: which keyed speech engines get a picker, what each picker shows while its list
// loads or when it cannot, and how a pick is kept on the host (no entry means "let the engine choose").

import type { Host, ProviderId, VoiceOption } from './backend/bindings';
import { listVoices } from './backend/voices';
import { toBackendError } from './backend/errors';

/** A keyed engine from the provider catalog, or Piper (offline, in the data folder, so not in the catalog). */
export type VoiceEngine = { id: ProviderId | 'piper'; label: string };

/** The speech engines whose voices a producer can pick per host (keyed ones, and the installed Piper
 * voices); system speech is `Host.voice`. */
export const VOICE_ENGINES: readonly VoiceEngine[] = [
  { id: 'elevenlabs', label: 'ElevenLabs' },
  { id: 'openai_tts', label: 'OpenAI TTS' },
  { id: 'piper', label: 'Piper' },
];

/** Shown instead of Piper's picker while no Piper voice can speak (none installed, or no ONNX Runtime). */
const PIPER_NOT_READY = 'Piper: no voice installed yet. Install one under Voices to give each host an offline neural voice.';

export type EngineVoices =
  | { state: 'loading' }
  | { state: 'ready'; voices: VoiceOption[] }
  | { state: 'no_key'; message: string }
  | { state: 'error'; message: string };

/** Engine id → its picker's state. */
export type VoicesByEngine = Record<string, EngineVoices>;

export async function loadEngineVoices(engineId: string): Promise<EngineVoices> {
  try {
    return { state: 'ready', voices: await listVoices(engineId) };
  } catch (error) {
    const e = toBackendError(error);
    if (engineId === 'piper' && e.code === 'not_found') return { state: 'no_key', message: PIPER_NOT_READY };
    if (engineId === 'piper' && e.code === 'speech_engine_missing') return { state: 'no_key', message: e.message };
    return e.code === 'no_key' ? { state: 'no_key', message: e.message } : { state: 'error', message: e.message };
  }
}

/** Sets (or, for '', clears) the host's voice on `engineId`. */
export function setEngineVoice(host: Host, engineId: string, voiceId: string): void {
  const voices = { ...host.voices };
  if (voiceId === '') delete voices[engineId];
  else voices[engineId] = voiceId;
  host.voices = voices;
}

/** "Rachel — american, female" for a picker option. */
export function voiceLabel(voice: VoiceOption): string {
  return voice.description ? `${voice.name} — ${voice.description}` : voice.name;
}
