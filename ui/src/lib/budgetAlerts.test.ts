import { describe, expect, it } from 'vitest';
import type { BudgetNoticeView, EpisodeChanged } from './backend/bindings';
import { BudgetAlerts, FRESH_MS } from './budgetAlerts';

const NOW = 1_800_000_000_000;

function notice(kind: BudgetNoticeView['kind'], firedAgoMs = 1_000): BudgetNoticeView {
  return {
    kind,
    phase: kind === 'phase_over' ? 'production' : null,
    phase_label: kind === 'phase_over' ? 'Writing & review' : null,
    committed: 27_000_000,
    cap: 33_250_000,
    fired_at_ms: NOW - firedAgoMs,
  };
}

function change(...budget_notices: BudgetNoticeView[]): EpisodeChanged {
  return { episode_id: 'ep-1', status: 'producing', topic: 'Tides', budget_notices };
}

describe('BudgetAlerts', () => {
  it('tells each fresh notice once, naming the episode and the amounts', () => {
    const alerts = new BudgetAlerts();
    const first = alerts.take(change(notice('warn')), NOW);
    expect(first).toEqual([
      { message: '“Tides” has used 80 % of its $33.25 budget ($27.00 so far).', urgent: false },
    ]);
    expect(alerts.take(change(notice('warn')), NOW), 'the same notice again').toEqual([]);
    const next = alerts.take(change(notice('warn'), notice('phase_over'), notice('halt')), NOW);
    expect(next.map((a) => a.urgent)).toEqual([false, true]);
    expect(next[0]?.message).toContain('Writing & review has spent more than its share');
    expect(next[1]?.message).toContain('stopped at its $33.25 budget');
  });

  it('keeps quiet about notices that fired before the app was watching', () => {
    const alerts = new BudgetAlerts();
    expect(alerts.take(change(notice('degrade', FRESH_MS + 1)), NOW)).toEqual([]);
  });
});
