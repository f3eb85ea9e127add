// Budget thresholds, told once, wherever the producer is in the app: the Run page shows every notice in
// place, but a producer on another screen must still hear that a run slowed down or stopped at its cap.

import type { BudgetNoticeView, EpisodeChanged } from './backend/bindings';
import { formatMoney } from './format';

/** Notices already this old when first seen fired before the app was watching: history, not news. */
export const FRESH_MS = 60_000;

export interface BudgetAlert {
  message: string;
  /** The run stopped: the toast stays until dismissed. */
  urgent: boolean;
}

export function budgetAlertText(topic: string, notice: BudgetNoticeView): string {
  const cap = formatMoney(notice.cap);
  const committed = formatMoney(notice.committed);
  switch (notice.kind) {
    case 'warn':
      return `“${topic}” has used 80 % of its ${cap} budget (${committed} so far).`;
    case 'degrade':
      return `“${topic}” reached 95 % of its ${cap} budget: cheaper routes from now on, optional extras skipped.`;
    case 'halt':
      return `“${topic}” stopped at its ${cap} budget. Raise the budget on its Run page to let it finish.`;
    case 'phase_over':
      return `“${topic}”: ${notice.phase_label ?? notice.phase ?? 'a phase'} has spent more than its share of the budget (${committed} of ${cap} in all).`;
  }
}

/** Remembers what was shown, so each notice becomes one toast however many changes repeat it. */
export class BudgetAlerts {
  #seen = new Set<string>();

  take(change: EpisodeChanged, now: number = Date.now()): BudgetAlert[] {
    const alerts: BudgetAlert[] = [];
    for (const notice of change.budget_notices) {
      const key = `${change.episode_id}:${notice.kind}:${notice.phase ?? ''}:${notice.fired_at_ms}`;
      if (this.#seen.has(key)) continue;
      this.#seen.add(key);
      if (now - notice.fired_at_ms > FRESH_MS) continue;
      alerts.push({ message: budgetAlertText(change.topic, notice), urgent: notice.kind === 'halt' });
    }
    return alerts;
  }
}
