import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import EpisodesScreen from '../EpisodesScreen.svelte';
import { episode, show } from '../../test-utils/fixtures';
import type { Episode, LibraryPageView, LibrarySearch } from '../../lib/backend/bindings';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

const invokeMock = vi.mocked(invoke);
const listenMock = vi.mocked(listen);
let emit: (payload: unknown) => void = () => {};
const unlisten = vi.fn();
// The fake library: each search's answer comes from `answer`, and every search sent is kept.
let searches: LibrarySearch[] = [];
let answer: (search: LibrarySearch) => LibraryPageView = () => page([]);

function page(episodes: Episode[], over: Partial<LibraryPageView> = {}): LibraryPageView {
  return { episodes, total: episodes.length, page: 1, page_size: 25, pages: 1, ...over };
}

const lastSearch = (): LibrarySearch => searches[searches.length - 1] as LibrarySearch;

beforeEach(() => {
  searches = [];
  answer = () => page([]);
  invokeMock.mockReset();
  listenMock.mockReset();
  unlisten.mockReset();
  invokeMock.mockImplementation(async (name, args) => {
    if (name === 'list_shows') return [show('show-1', 'Deep Dive'), show('show-2', 'Night Shift')];
    if (name === 'search_episodes') {
      const search = (args as { search: LibrarySearch }).search;
      searches.push(search);
      return answer(search);
    }
    throw new Error(`unexpected ${name}`);
  });
  listenMock.mockImplementation(async (_name, handler) => {
    emit = (payload) => (handler as (e: { payload: unknown }) => void)({ payload });
    return unlisten;
  });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('EpisodesScreen', () => {
  it('invites the first episode when there are none', async () => {
    render(EpisodesScreen);
    const empty = await screen.findByTestId('episodes-empty');
    expect(empty).toHaveTextContent('No episodes yet');
    expect(screen.getByRole('link', { name: 'Start your first episode' })).toHaveAttribute('href', '#/new');
  });

  it('lists episodes with status, length and cost, and refreshes on episode-changed', async () => {
    answer = () => page([episode({ status: 'producing', format: 'interview' })]);
    const { unmount } = render(EpisodesScreen);
    const row = await screen.findByTestId('episode-row-ep-1');
    expect(row.querySelector('[data-testid="episode-format"]')).toHaveTextContent('Interview');
    expect(row).toHaveAttribute('data-status', 'producing');
    expect(row).toHaveAttribute('href', '#/episodes/ep-1');
    expect(row).toHaveTextContent('How lighthouses kept ships safe');
    expect(row).toHaveTextContent('Deep Dive');
    expect(row).toHaveTextContent('$0.0012');

    answer = () => page([episode({ status: 'released', duration_ms: 125_000 })]);
    await vi.waitFor(() => expect(listenMock).toHaveBeenCalledWith('episode-changed', expect.any(Function)));
    emit({ episode_id: 'ep-1', status: 'released' });
    await vi.waitFor(() => expect(screen.getByTestId('episode-row-ep-1')).toHaveAttribute('data-status', 'released'));
    expect(screen.getByTestId('episode-row-ep-1')).toHaveTextContent('2:05');

    unmount();
    expect(unlisten).toHaveBeenCalled();
  });

  it('keeps the backend order (the chosen sort), not the update time', async () => {
    answer = () =>
      page([
        episode({ id: 'old', topic: 'Older', updated_at_ms: 1 }),
        episode({ id: 'new', topic: 'Newer', updated_at_ms: 2 }),
      ]);
    render(EpisodesScreen);
    await screen.findByTestId('episode-row-old');
    const rows = screen.getAllByTestId(/^episode-row-/).map((r) => r.dataset.testid);
    expect(rows).toEqual(['episode-row-old', 'episode-row-new']);
  });

  it('sends the search once typing pauses, with the show, status and sort chosen, from page 1', async () => {
    answer = () => page([episode()], { total: 60, pages: 3 });
    render(EpisodesScreen);
    await screen.findByTestId('episode-row-ep-1');
    expect(lastSearch()).toEqual({ text: null, show_id: null, status: null, order: 'relevance', page: 1, page_size: 25 });

    await fireEvent.change(screen.getByTestId('library-show'), { target: { value: 'show-2' } });
    await fireEvent.change(screen.getByTestId('library-status'), { target: { value: 'released' } });
    await fireEvent.change(screen.getByTestId('library-order'), { target: { value: 'spent' } });
    await vi.waitFor(() => expect(lastSearch()).toMatchObject({ show_id: 'show-2', status: 'released', order: 'spent' }));

    const before = searches.length;
    vi.useFakeTimers();
    const box = screen.getByTestId('library-search');
    await fireEvent.input(box, { target: { value: 'lig' } });
    await fireEvent.input(box, { target: { value: 'lighthouse keep' } });
    // Still typing: nothing sent yet.
    expect(searches.length).toBe(before);
    await vi.advanceTimersByTimeAsync(300);
    vi.useRealTimers();
    await vi.waitFor(() => expect(searches.length).toBe(before + 1));
    expect(lastSearch()).toEqual({
      text: 'lighthouse keep',
      show_id: 'show-2',
      status: 'released',
      order: 'spent',
      page: 1,
      page_size: 25,
    });
  });

  it('pages with previous and next, reading "page N of M", and a new filter returns to page 1', async () => {
    answer = (s) => page([episode({ id: `ep-p${s.page}` })], { total: 60, pages: 3, page: s.page ?? 1 });
    render(EpisodesScreen);
    await screen.findByTestId('episode-row-ep-p1');
    expect(screen.getByTestId('library-page')).toHaveTextContent('Page 1 of 3 · 60 episodes');
    expect(screen.getByRole('button', { name: '← Previous' })).toBeDisabled();

    await fireEvent.click(screen.getByRole('button', { name: 'Next →' }));
    await screen.findByTestId('episode-row-ep-p2');
    expect(lastSearch().page).toBe(2);
    await fireEvent.click(screen.getByRole('button', { name: 'Next →' }));
    await screen.findByTestId('episode-row-ep-p3');
    expect(screen.getByTestId('library-page')).toHaveTextContent('Page 3 of 3');
    expect(screen.getByRole('button', { name: 'Next →' })).toBeDisabled();

    await fireEvent.click(screen.getByRole('button', { name: '← Previous' }));
    await screen.findByTestId('episode-row-ep-p2');

    await fireEvent.change(screen.getByTestId('library-status'), { target: { value: 'failed' } });
    await screen.findByTestId('episode-row-ep-p1');
    expect(lastSearch()).toMatchObject({ status: 'failed', page: 1 });
  });

  it('says what to change when nothing matches, and clearing brings everything back', async () => {
    answer = (s) => (s.status === 'failed' ? page([]) : page([episode()]));
    render(EpisodesScreen);
    await screen.findByTestId('episode-row-ep-1');
    await fireEvent.change(screen.getByTestId('library-show'), { target: { value: 'show-2' } });
    await fireEvent.change(screen.getByTestId('library-status'), { target: { value: 'failed' } });
    const empty = await screen.findByTestId('library-empty');
    expect(empty).toHaveTextContent('look beyond Night Shift');
    expect(empty).toHaveTextContent('include statuses other than Failed');
    expect(screen.queryByTestId('episodes-empty')).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Clear search and filters' }));
    await screen.findByTestId('episode-row-ep-1');
    expect(lastSearch()).toMatchObject({ show_id: null, status: null, text: null });
  });
});
