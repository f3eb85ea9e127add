// How a provider's key status reads: "set · ends in ab12", "from environment", "not set".

import type { KeyStatusView, ProviderKind } from './backend/bindings';

export function keyStatusText(key: KeyStatusView | null): string {
  if (!key) return 'status unknown';
  if (key.source === 'environment') {
    return key.ends_with ? `from environment · ends in ${key.ends_with}` : 'from environment';
  }
  if (key.set) return key.ends_with ? `set · ends in ${key.ends_with}` : 'set';
  return 'not set';
}

export function keyStatusTone(key: KeyStatusView | null): 'success' | 'info' | 'neutral' | 'danger' {
  if (!key) return 'danger';
  if (key.source === 'environment') return 'info';
  return key.set ? 'success' : 'neutral';
}

const KIND_LABELS: Record<ProviderKind, string> = {
  language_model: 'Language model',
  research: 'Research (web sources)',
  speech: 'Speech',
};

export function providerKindLabel(kind: ProviderKind): string {
  return KIND_LABELS[kind];
}

/** Why `text` cannot be a "calls at once" number (1 to `max`), or null when it can. */
export function limitProblem(text: string, max: number): string | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return 'Enter a whole number of calls.';
  const n = Number(trimmed);
  if (n < 1 || n > max) return `Calls at once must be between 1 and ${max}.`;
  return null;
}

/** The card's requests-a-minute check, before anything is sent (the backend checks the same range). */
export function rateProblem(text: string, max: number): string | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return 'Enter a whole number of requests.';
  const n = Number(trimmed);
  if (n < 1 || n > max) return `Requests a minute must be between 1 and ${max.toLocaleString('en-US')}.`;
  return null;
}
