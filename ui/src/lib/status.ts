// Words and colours for every status the backend reports (episode, run, attempt, gate verdict).

import type { AttemptStatus, EpisodeStatus, GateVerdict, RunStatus } from './backend/bindings';

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

export type AnyStatus = EpisodeStatus | RunStatus | AttemptStatus | GateVerdict;

const LABELS: Record<AnyStatus, string> = {
  producing: 'Producing',
  awaiting_script_signoff: 'Awaiting script sign-off',
  awaiting_release: 'Awaiting release',
  needs_attention: 'Needs attention',
  released: 'Released',
  failed: 'Failed',
  cancelled: 'Cancelled',
  running: 'Running',
  parked: 'Waiting for you',
  done: 'Done',
  pending: 'Pending',
  waiting_retry: 'Retrying soon',
  superseded: 'Superseded',
  pass: 'Pass',
  remediate: 'Sent back',
  escalate: 'Escalated',
};

const TONES: Record<AnyStatus, Tone> = {
  producing: 'info',
  running: 'info',
  awaiting_script_signoff: 'warning',
  awaiting_release: 'warning',
  needs_attention: 'warning',
  parked: 'warning',
  waiting_retry: 'warning',
  remediate: 'warning',
  released: 'success',
  done: 'success',
  pass: 'success',
  failed: 'danger',
  escalate: 'danger',
  cancelled: 'neutral',
  pending: 'neutral',
  superseded: 'neutral',
};

function isKnown(status: string): status is AnyStatus {
  return Object.prototype.hasOwnProperty.call(LABELS, status);
}

/** "awaiting_release" → "Awaiting release"; an unknown word is shown with underscores as spaces. */
export function statusLabel(status: string): string {
  if (isKnown(status)) return LABELS[status];
  const words = status.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function statusTone(status: string): Tone {
  return isKnown(status) ? TONES[status] : 'neutral';
}
