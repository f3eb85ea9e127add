// The decision at a park (src-tauri/src/commands/decisions.rs): one command for every kind of park. What may
// be decided comes from the run view's `decision.available`; nothing here decides which park allows what.

import type { ProducerDecision, RunView } from './bindings';
import { call } from './call';

/** `at` is the stage the screen showed the run waiting at: if the run moved on meanwhile, this is a conflict. */
export const decide = (runId: string, at: string, decision: ProducerDecision) =>
  call<RunView>('decide', { runId, at, decision });
