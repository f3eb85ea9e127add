import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import EpisodesScreen from '../EpisodesScreen.svelte';
import { episode } from '../../test-utils/fixtures';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

const invokeMock = vi.mocked(invoke);
const listenMock = vi.mocked(listen);
let emit: (payload: unknown) => void = () => {};
const unlisten = vi.fn();

beforeEach(() => {
  invokeMock.mockReset();
  listenMock.mockReset();
  unlisten.mockReset();
  listenMock.mockImplementation(async (_name, handler) => {
    emit = (payload) => (handler as (e: { payload: unknown }) => void)({ payload });
    return unlisten;
  });
});

describe('EpisodesScreen', () => {
  it('invites the first episode when there are none', async () => {
    invokeMock.mockResolvedValueOnce([]);
    render(EpisodesScreen);
    const empty = await screen.findByTestId('episodes-empty');
    expect(empty).toHaveTextContent('No episodes yet');
    expect(screen.getByRole('link', { name: 'Start your first episode' })).toHaveAttribute('href', '#/new');
  });

  it('lists episodes with status, length and cost, and refreshes on episode-changed', async () => {
    invokeMock.mockResolvedValueOnce([episode({ status: 'producing' })]);
    const { unmount } = render(EpisodesScreen);
    const row = await screen.findByTestId('episode-row-ep-1');
    expect(row).toHaveAttribute('data-status', 'producing');
    expect(row).toHaveAttribute('href', '#/episodes/ep-1');
    expect(row).toHaveTextContent('How lighthouses kept ships safe');
    expect(row).toHaveTextContent('Deep Dive');
    expect(row).toHaveTextContent('$0.0012');

    invokeMock.mockResolvedValueOnce([episode({ status: 'released', duration_ms: 125_000 })]);
    await vi.waitFor(() => expect(listenMock).toHaveBeenCalledWith('episode-changed', expect.any(Function)));
    emit({ episode_id: 'ep-1', status: 'released' });
    await vi.waitFor(() => expect(screen.getByTestId('episode-row-ep-1')).toHaveAttribute('data-status', 'released'));
    expect(screen.getByTestId('episode-row-ep-1')).toHaveTextContent('2:05');

    unmount();
    expect(unlisten).toHaveBeenCalled();
  });
});
