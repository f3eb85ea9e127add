// The Episodes screen's library: what the producer picked (search words, show, status, sort, page) as the
// backend's `LibrarySearch`, and what to change when nothing matches.

import type { EpisodeStatus, LibraryOrder, LibrarySearch } from './backend/bindings';
import { statusLabel } from './status';

export const PAGE_SIZE = 25;
/** Typing pauses this long before a search is sent, so each keystroke does not query the backend. */
export const SEARCH_DEBOUNCE_MS = 250;

export type LibraryFilters = {
  text: string;
  showId: string | null;
  status: EpisodeStatus | null;
  order: LibraryOrder;
  page: number;
};

export const NO_FILTERS: LibraryFilters = { text: '', showId: null, status: null, order: 'relevance', page: 1 };

export const ORDERS: { value: LibraryOrder; label: string }[] = [
  { value: 'relevance', label: 'Best match (newest when not searching)' },
  { value: 'newest', label: 'Newest first' },
  { value: 'oldest', label: 'Oldest first' },
  { value: 'topic', label: 'Topic A–Z' },
  { value: 'show', label: 'Show A–Z' },
  { value: 'spent', label: 'Dearest first' },
];

export function searchOf(filters: LibraryFilters): LibrarySearch {
  const text = filters.text.trim();
  return {
    text: text === '' ? null : text,
    show_id: filters.showId,
    status: filters.status,
    order: filters.order,
    page: filters.page,
    page_size: PAGE_SIZE,
  };
}

/** Whether anything narrows the library (the sort and page do not). */
export function isNarrowed(filters: LibraryFilters): boolean {
  return filters.text.trim() !== '' || filters.showId !== null || filters.status !== null;
}

/** What to change when no episode matches, naming each narrowing the producer chose. */
export function emptyAdvice(filters: LibraryFilters, showName: string | null): string {
  const changes: string[] = [];
  const text = filters.text.trim();
  if (text !== '') changes.push(`search for fewer or other words than “${text}”`);
  if (filters.showId !== null) changes.push(`look beyond ${showName ?? 'this show'} (All shows)`);
  if (filters.status !== null) changes.push(`include statuses other than ${statusLabel(filters.status)}`);
  if (changes.length === 0) return 'No episode yet.';
  const last = changes.pop() as string;
  const list = changes.length === 0 ? last : `${changes.join(', ')} or ${last}`;
  return `No episode matches. Try to ${list}.`;
}
