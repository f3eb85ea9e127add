// Provider limits and local models (src-tauri/src/commands/keys.rs).

import type { LocalModelsView, ProviderLimitView, RoutePlanView } from './bindings';
import { call } from './call';

/** `concurrent: null` puts the provider back on its usual number. Rejects with a `concurrent` field error. */
export const setProviderLimit = (provider: string, concurrent: number | null) =>
  call<ProviderLimitView>('set_provider_limit', { provider, concurrent });
/** `requestsPerMinute: null` lets the provider's own 429s pace it. Rejects with a `requests_per_minute` field error. */
export const setProviderRate = (provider: string, requestsPerMinute: number | null) =>
  call<ProviderLimitView>('set_provider_rate', { provider, requestsPerMinute });
/** Probes Ollama and LM Studio on this computer; a server that is not running comes back with a problem. */
export const localModels = () => call<LocalModelsView>('local_models');
/** Puts the model first on every writing route; replies with the updated route plan. */
export const useLocalModel = (provider: string | null, model: string) =>
  call<RoutePlanView>('use_local_model', { provider, model });
