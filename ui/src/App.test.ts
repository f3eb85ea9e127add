import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import App from './App.svelte';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('./test-utils/tauri');
  // An empty library; every other list is empty too.
  const emptyPage = { episodes: [], total: 0, page: 1, page_size: 25, pages: 1 };
  return { invoke: vi.fn(async (name: string) => (name === 'search_episodes' ? emptyPage : [])), Channel: FakeChannel };
});
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn(async () => () => {}) }));

describe('App', () => {
  it('marks the body ready after the first render and shows the nav', async () => {
    window.location.hash = '';
    render(App);
    expect(document.body.dataset.ready).toBe('1');
    for (const id of ['nav-episodes', 'nav-dashboard', 'nav-shows', 'nav-new-episode', 'nav-providers']) {
      expect(screen.getByTestId(id)).toBeInTheDocument();
    }
    expect(screen.getByTestId('nav-episodes')).toHaveAttribute('aria-current', 'page');
    expect(await screen.findByTestId('episodes-empty')).toBeInTheDocument();
  });
});
