// How a "Test connection" verdict reads on a provider card.

import type { ConnectionOutcome } from './backend/bindings';

export function connectionTitle(outcome: ConnectionOutcome): string {
  switch (outcome) {
    case 'ok':
      return 'Connected';
    case 'bad_key':
      return 'Key refused';
    case 'out_of_quota':
      return 'Out of credit or quota';
    case 'unreachable':
      return 'Could not reach it';
    case 'wrong_url':
      return 'Wrong address';
    case 'no_key':
      return 'No key to test';
    case 'error':
      return 'The test did not work';
  }
}

export function connectionTone(outcome: ConnectionOutcome): 'success' | 'neutral' | 'danger' {
  if (outcome === 'ok') return 'success';
  return outcome === 'no_key' ? 'neutral' : 'danger';
}
