// The "New episode" form: defaults, quick checks, and the `NewEpisode` it sends.

import type { EpisodeFormat, Language, NewEpisode } from './backend/bindings';
import type { FieldErrors } from './backend/errors';
import { isValidMinutes, MINUTES_MESSAGE } from './brand';
import { parseDollars } from './format';
import { formatProblem } from './formats';

export const DEFAULT_TARGET_MINUTES = 25;
export const DEFAULT_BUDGET_DOLLARS = '33.25';
export const MAX_TOPIC_CHARS = 500;

export interface EpisodeDraft {
  showId: string;
  topic: string;
  targetMinutes: number | null;
  budget: string;
  format: EpisodeFormat;
  /** The show's default until the producer picks another. */
  language: Language;
}

export type DraftCheck = { ok: true; input: NewEpisode } | { ok: false; errors: FieldErrors };

/**
 * Checks the draft against a show of `hosts` hosts; field keys match the backend's (`topic`, `show_id`,
 * `target_minutes`, `budget_cap`, `format`).
 */
export function checkEpisodeDraft(draft: EpisodeDraft, hosts = Number.MAX_SAFE_INTEGER): DraftCheck {
  const errors: FieldErrors = {};
  const topic = draft.topic.trim();
  if (topic === '') errors.topic = 'Type the topic this episode is about.';
  else if ([...topic].length > MAX_TOPIC_CHARS) errors.topic = `Keep the topic under ${MAX_TOPIC_CHARS} characters.`;
  if (draft.showId === '') errors.show_id = 'Pick a show.';
  if (!isValidMinutes(draft.targetMinutes)) errors.target_minutes = MINUTES_MESSAGE;
  else {
    const problem = formatProblem(draft.format, hosts, draft.targetMinutes);
    if (problem) errors.format = problem;
  }
  const budget = parseDollars(draft.budget);
  if (!budget.ok) errors.budget_cap = budget.message;
  else if (budget.micros <= 0) errors.budget_cap = 'The budget must be more than $0.';
  if (Object.keys(errors).length > 0 || !budget.ok || !isValidMinutes(draft.targetMinutes)) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    input: {
      show_id: draft.showId,
      topic,
      target_minutes: draft.targetMinutes,
      budget_cap: budget.micros,
      format: draft.format,
      language: draft.language,
    },
  };
}
