import { describe, expect, it } from 'vitest';
import { emptyAdvice, isNarrowed, NO_FILTERS, searchOf } from './library';

describe('library', () => {
  it('sends trimmed words, or none when only spaces were typed', () => {
    expect(searchOf({ ...NO_FILTERS, text: '  tide  pools ' }).text).toBe('tide  pools');
    expect(searchOf({ ...NO_FILTERS, text: '   ' }).text).toBeNull();
    expect(searchOf({ ...NO_FILTERS, page: 4 })).toMatchObject({ page: 4, page_size: 25, order: 'relevance' });
  });

  it('counts the search, show and status as narrowing, not the sort', () => {
    expect(isNarrowed({ ...NO_FILTERS, order: 'spent', page: 3 })).toBe(false);
    expect(isNarrowed({ ...NO_FILTERS, status: 'failed' })).toBe(true);
    expect(isNarrowed({ ...NO_FILTERS, text: 'x' })).toBe(true);
  });

  it('names every narrowing to loosen', () => {
    const advice = emptyAdvice({ ...NO_FILTERS, text: 'whales', showId: 's2', status: 'released' }, 'Night Shift');
    expect(advice).toBe(
      'No episode matches. Try to search for fewer or other words than “whales”, look beyond Night Shift (All shows) or include statuses other than Released.',
    );
    expect(emptyAdvice({ ...NO_FILTERS, text: 'whales' }, null)).toBe(
      'No episode matches. Try to search for fewer or other words than “whales”.',
    );
  });
});
