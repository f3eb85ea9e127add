import { describe, expect, it } from 'vitest';
import { checkEpisodeDraft } from './episodeForm';

describe('checkEpisodeDraft', () => {
  it('builds the NewEpisode with the budget in micro-dollars', () => {
    expect(checkEpisodeDraft({ showId: 's1', topic: '  Tides ', targetMinutes: 25, budget: '33.25' })).toEqual({
      ok: true,
      input: { show_id: 's1', topic: 'Tides', target_minutes: 25, budget_cap: 33_250_000 },
    });
  });

  it('reports every problem under the backend field names', () => {
    const result = checkEpisodeDraft({ showId: '', topic: ' ', targetMinutes: 0, budget: '0' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(['budget_cap', 'show_id', 'target_minutes', 'topic']);
  });

  it('explains an unreadable budget', () => {
    const result = checkEpisodeDraft({ showId: 's', topic: 't', targetMinutes: 5, budget: 'ten' });
    expect(result.ok ? null : result.errors.budget_cap).toContain('not a dollar amount');
  });
});
