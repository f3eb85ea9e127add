// At start: when Ollama or LM Studio runs on this computer with models and none writes yet, say so once.

import type { LocalModelsView } from './backend/bindings';
import { localModels } from './backend/providers';
import { notices } from './notices.svelte';

/** The start notice for what the probe found, or null when there is nothing to offer. */
export function startNotice(found: LocalModelsView | null | undefined): string | null {
  const servers = (found?.servers ?? []).filter((s) => s.running && s.models.length > 0);
  if (servers.length === 0 || servers.some((s) => s.models.some((m) => m.in_use))) return null;
  const what = servers.map((s) => {
    const n = s.models.length;
    return `${s.label.replace(/ \(on this computer\)$/, '')} (${n} model${n === 1 ? '' : 's'})`;
  });
  return `Local writers found: ${what.join(' and ')}. Use one for writing on the Providers page.`;
}

/** Probes the local servers and shows the notice; a failed probe says nothing (the page shows why). */
export async function offerLocalWriters(): Promise<void> {
  try {
    const message = startNotice(await localModels());
    if (message) notices.push('info', message);
  } catch {
    // Nothing running, or an older backend: nothing to offer.
  }
}
