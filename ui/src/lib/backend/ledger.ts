// The run's budget ledger and raising its cap (src-tauri/src/commands/ledger.rs).

import type { LedgerView, RunView } from './bindings';
import { call } from './call';

export const runLedger = (runId: string) => call<LedgerView>('run_ledger', { runId });
/** One call's stored answer: fetched only when the producer opens it. */
export const callAnswer = (runId: string, callId: number) => call<unknown>('call_answer', { runId, callId });
/** Rejects with a `budget_cap` field error when the amount is not above the current cap. */
export const raiseBudget = (runId: string, newCap: number) => call<RunView>('raise_budget', { runId, newCap });
