import { describe, expect, it } from 'vitest';
import { checkEpisodeDraft } from './episodeForm';
import { formatProblem, minutesAfterFormatChange } from './formats';

describe('checkEpisodeDraft', () => {
  it('builds the NewEpisode with the budget in micro-dollars, the format and the language', () => {
    const draft = { showId: 's1', topic: '  Tides ', targetMinutes: 25, budget: '33.25', format: 'debate' as const, language: 'de' as const };
    expect(checkEpisodeDraft(draft, 2)).toEqual({
      ok: true,
      input: { show_id: 's1', topic: 'Tides', target_minutes: 25, budget_cap: 33_250_000, format: 'debate', language: 'de' },
    });
  });

  it('reports every problem under the backend field names', () => {
    const result = checkEpisodeDraft({ showId: '', topic: ' ', targetMinutes: 0, budget: '0', format: 'deep_dive', language: 'en' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(['budget_cap', 'show_id', 'target_minutes', 'topic']);
  });

  it('explains an unreadable budget', () => {
    const result = checkEpisodeDraft({ showId: 's', topic: 't', targetMinutes: 5, budget: 'ten', format: 'deep_dive', language: 'en' });
    expect(result.ok ? null : result.errors.budget_cap).toContain('not a dollar amount');
  });

  it('refuses a brief of 25 minutes and a debate on a one-host show, under format', () => {
    const long = checkEpisodeDraft({ showId: 's', topic: 't', targetMinutes: 25, budget: '5', format: 'brief', language: 'en' });
    expect(long.ok ? null : long.errors.format).toContain('2 to 5 minutes, not 25');
    const alone = checkEpisodeDraft({ showId: 's', topic: 't', targetMinutes: 25, budget: '5', format: 'debate', language: 'en' }, 1);
    expect(alone.ok ? null : alone.errors.format).toContain('needs 2 hosts and the show has 1');
    expect(checkEpisodeDraft({ showId: 's', topic: 't', targetMinutes: 4, budget: '5', format: 'brief', language: 'en' }, 1).ok).toBe(true);
  });
});

describe('formats', () => {
  it('a brief starts at 4 minutes and leaving it goes back to the usual length', () => {
    expect(minutesAfterFormatChange('deep_dive', 'brief', 25, 25)).toBe(4);
    expect(minutesAfterFormatChange('brief', 'solo', 4, 30)).toBe(30);
    expect(minutesAfterFormatChange('solo', 'interview', 12, 25)).toBe(12);
  });

  it('solo needs one host, interview two', () => {
    expect(formatProblem('solo', 1, 10)).toBeNull();
    expect(formatProblem('interview', 1, 10)).toContain('Interview needs 2 hosts');
  });
});
