// The New episode screen's queue: rows a producer adds one by one and starts together, each then following
// its episode's live status (the app-wide episode-changed event).

import type { BatchRow, BatchRowResult, CostEstimate, EpisodeChanged, NewEpisode, SourceInput } from './backend/bindings';
import { describeError, toBackendError } from './backend/errors';
import { isOverCap } from './estimate';

export interface QueueRow {
  key: number;
  input: NewEpisode;
  /** The sources on the form when the row was queued: read when its episode starts. */
  sources: SourceInput[];
  showName: string;
  estimate: CostEstimate | null;
  /** Set once the row started. */
  episodeId?: string;
  status?: string;
  /** Why the row did not start (its coded error's message), or null. */
  error?: string | null;
  errorCode?: string;
}

let nextKey = 1;

export function queueRow(
  input: NewEpisode,
  showName: string,
  estimate: CostEstimate | null,
  sources: SourceInput[] = [],
): QueueRow {
  return { key: nextKey++, input, sources: [...sources], showName, estimate };
}

/** Rows not started yet (a refused row may be started again after it is fixed or confirmed). */
export function pending(rows: QueueRow[]): QueueRow[] {
  return rows.filter((r) => !r.episodeId);
}

export function overCap(rows: QueueRow[]): QueueRow[] {
  return pending(rows).filter((r) => isOverCap(r.estimate, r.input.budget_cap));
}

export function toBatchRows(rows: QueueRow[], overCapConfirmed: boolean): BatchRow[] {
  return rows.map((r) => ({
    ...r.input,
    language: r.input.language ?? null,
    sources: r.sources,
    over_cap_confirmed: overCapConfirmed,
  }));
}

/** Puts each result on the row it was sent for (`sent[i]` went as index `i`). */
export function applyResults(rows: QueueRow[], sent: QueueRow[], results: BatchRowResult[]): QueueRow[] {
  const byKey = new Map<number, BatchRowResult>();
  for (const result of results) {
    const row = sent[result.index];
    if (row) byKey.set(row.key, result);
  }
  return rows.map((row) => {
    const result = byKey.get(row.key);
    if (!result) return row;
    if (result.episode) {
      return { ...row, episodeId: result.episode.id, status: result.episode.status, error: null, errorCode: undefined };
    }
    const error = result.error ? toBackendError(result.error) : null;
    return {
      ...row,
      estimate: result.estimate ?? row.estimate,
      error: error ? describeError(error) : 'It did not start.',
      errorCode: error?.code,
    };
  });
}

export function applyChange(rows: QueueRow[], change: EpisodeChanged): QueueRow[] {
  return rows.map((row) => (row.episodeId === change.episode_id ? { ...row, status: change.status } : row));
}
