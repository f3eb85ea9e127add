import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import NewEpisodeScreen from '../NewEpisodeScreen.svelte';
import { apiError } from '../../test-utils/tauri';
import { episode, show } from '../../test-utils/fixtures';
import { ESTIMATE_DEBOUNCE_MS } from '../../lib/estimate';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn(async () => () => {}) }));

const invokeMock = vi.mocked(invoke);
let emitChange: (payload: unknown) => void = () => {};

beforeEach(() => {
  invokeMock.mockReset();
  vi.mocked(listen).mockImplementation(async (_event, handler) => {
    emitChange = (payload) => handler({ event: 'episode-changed', id: 1, payload } as never);
    return () => {};
  });
  invokeMock.mockImplementation(async (command, args) => {
    if (command === 'list_shows') return [show('s1', 'Deep Dive')];
    // A dollar a minute: 40 minutes is over the default $33.25 cap.
    if (command === 'estimate_cost') {
      const total = (args as { request: { target_minutes: number } }).request.target_minutes * 1_000_000;
      const phases = [{ phase: 'production', label: 'Writing & review', cost: total, allocation: 16_957_500 }];
      return { phases, total, providers: [], over_allocation: [] };
    }
    if (command === 'start_episode') return episode({ id: 'ep-one' });
    if (command === 'start_episodes') {
      const rows = (args as { rows: { topic: string }[] }).rows;
      return rows.map((row, index) =>
        row.topic === 'Moons'
          ? { index, episode: null, estimate: null, error: apiError('speech_engine_missing', 'No speech engine found.') }
          : { index, episode: episode({ id: `ep-${index}`, topic: row.topic }), estimate: null, error: null },
      );
    }
    return undefined;
  });
});

const settle = () => new Promise((r) => setTimeout(r, ESTIMATE_DEBOUNCE_MS * 2));

async function fill(topic: string, minutes: string) {
  await fireEvent.input(screen.getByTestId('episode-topic'), { target: { value: topic } });
  await fireEvent.input(screen.getByTestId('episode-minutes'), { target: { value: minutes } });
  await settle();
}

describe('New episode: the estimate and the queue', () => {
  it('asks before starting a run whose estimate is over its cap', async () => {
    render(NewEpisodeScreen);
    await screen.findByTestId('episode-topic');
    await fill('Tides', '40');
    await fireEvent.click(screen.getByTestId('episode-start'));
    expect(await screen.findByTestId('episode-over-cap')).toHaveTextContent('$40.00');
    expect(invokeMock).not.toHaveBeenCalledWith('start_episode', expect.anything());

    await fireEvent.click(screen.getByTestId('episode-start'));
    await vi.waitFor(() => expect(invokeMock).toHaveBeenCalledWith('start_episode', expect.anything()));
  });

  it('starts queued rows together after the over-cap confirm, and each row shows its own result live', async () => {
    render(NewEpisodeScreen);
    await screen.findByTestId('episode-topic');
    await fill('Tides', '2');
    await fireEvent.click(screen.getByTestId('episode-queue-add'));
    await fill('Moons', '3');
    await fireEvent.click(screen.getByTestId('episode-queue-add'));
    await fill('Long history', '40');
    await fireEvent.click(screen.getByTestId('episode-queue-add'));
    expect(screen.getAllByTestId('queue-row')).toHaveLength(3);

    await fireEvent.click(screen.getByTestId('queue-start'));
    expect(await screen.findByTestId('queue-confirm')).toHaveTextContent('Long history');
    expect(invokeMock).not.toHaveBeenCalledWith('start_episodes', expect.anything());

    await fireEvent.click(screen.getByTestId('queue-confirm-start'));
    await vi.waitFor(() => expect(screen.getAllByTestId('queue-row-status')).toHaveLength(2));
    const sent = invokeMock.mock.calls.find(([command]) => command === 'start_episodes')?.[1] as {
      rows: { topic: string; over_cap_confirmed: boolean; target_minutes: number }[];
    };
    expect(sent.rows.map((r) => [r.topic, r.target_minutes, r.over_cap_confirmed])).toEqual([
      ['Tides', 2, true],
      ['Moons', 3, true],
      ['Long history', 40, true],
    ]);
    const moons = screen.getAllByTestId('queue-row')[1]!;
    expect(within(moons).getByTestId('queue-row-error')).toHaveTextContent('No speech engine found.');

    emitChange({ episode_id: 'ep-0', status: 'awaiting_script_signoff', topic: 'Tides', budget_notices: [] });
    const tides = screen.getAllByTestId('queue-row')[0]!;
    await vi.waitFor(() =>
      expect(within(tides).getByTestId('queue-row-status').querySelector('[data-status]')).toHaveAttribute(
        'data-status',
        'awaiting_script_signoff',
      ),
    );
  });

  it('queues a row with the sources on the form, and the next row starts from none', async () => {
    render(NewEpisodeScreen);
    await screen.findByTestId('episode-topic');
    await fireEvent.input(screen.getByTestId('source-note'), { target: { value: 'The wall was raised in 1887.' } });
    await fireEvent.click(screen.getByTestId('source-add-note'));
    await fill('Harbour wall', '2');
    await fireEvent.click(screen.getByTestId('episode-queue-add'));
    expect(screen.queryAllByTestId('source-row')).toHaveLength(0);
    await fill('Fog signals', '2');
    await fireEvent.click(screen.getByTestId('episode-queue-add'));
    const [harbour, fog] = screen.getAllByTestId('queue-row-meta');
    expect(harbour).toHaveTextContent('2 min · 1 source');
    expect(fog).not.toHaveTextContent('source');

    await fireEvent.click(screen.getByTestId('queue-start'));
    await vi.waitFor(() => expect(invokeMock).toHaveBeenCalledWith('start_episodes', expect.anything()));
    const sent = invokeMock.mock.calls.find(([command]) => command === 'start_episodes')?.[1] as {
      rows: { topic: string; sources: unknown[] }[];
    };
    expect(sent.rows.map((r) => [r.topic, r.sources])).toEqual([
      ['Harbour wall', [{ kind: 'note', text: 'The wall was raised in 1887.' }]],
      ['Fog signals', []],
    ]);
  });
});
