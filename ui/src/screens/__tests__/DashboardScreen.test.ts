import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import DashboardScreen from '../DashboardScreen.svelte';
import { show } from '../../test-utils/fixtures';
import type { DashboardView } from '../../lib/backend/bindings';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

// jsdom draws no canvas: the fake Chart keeps each configuration so the tests can read what would be drawn.
type Config = {
  type: string;
  data: { labels: string[]; datasets: { label: string; data: (number | null)[] }[] };
  options: { plugins: { tooltip: { callbacks: { label: (item: unknown) => string } } } };
};
const charts = vi.hoisted(() => ({ made: [] as Config[], destroyed: 0 }));
vi.mock('chart.js', () => ({
  registerables: [],
  Chart: class {
    static register() {}
    constructor(_canvas: unknown, config: Config) {
      charts.made.push(config);
    }
    destroy() {
      charts.destroyed += 1;
    }
  },
}));

const invokeMock = vi.mocked(invoke);

function view(over: Partial<DashboardView> = {}): DashboardView {
  return {
    show_id: null,
    spend: [
      { show_id: 'show-1', show_name: 'Deep Dive', month: '2026-11', episodes: 3, caps: 30_000_000, spent: 12_500_000 },
      { show_id: 'show-2', show_name: 'Night Shift', month: '2026-10', episodes: 1, caps: 5_000_000, spent: 4_200_000 },
    ],
    cost_per_minute: [
      { show_id: 'show-1', show_name: 'Deep Dive', episodes: 2, finished_minutes: 50, spent: 12_500_000, per_minute: 250_000 },
      { show_id: 'show-2', show_name: 'Night Shift', episodes: 0, finished_minutes: 0, spent: 0, per_minute: null },
    ],
    gates: [
      { month: '2026-10', gate: 'research.validate', label: 'Research gate', reports: 4, passed: 3, pass_rate: 0.75, mean_score: 0.8 },
      { month: '2026-11', gate: 'research.validate', label: 'Research gate', reports: 2, passed: 2, pass_rate: 1, mean_score: 0.9 },
      { month: '2026-11', gate: 'audio.validate', label: 'Audio checks', reports: 5, passed: 4, pass_rate: 0.8, mean_score: 0.85 },
    ],
    evaluations: [{ month: '2026-11', evaluations: 6, mean_score: 7.25 }],
    providers: [
      { provider: 'anthropic', label: 'Anthropic', calls: 40, failed: 3, retries: 2, fallbacks: 1, cost: 9_000_000 },
    ],
    releases: [{ show_id: 'show-1', show_name: 'Deep Dive', month: '2026-11', episodes: 2, mean_ms: 5_400_000, max_ms: 259_200_000 }],
    alerts: [
      { kind: 'budget_halt', episode_id: 'ep-9', topic: 'Whale song', show_name: 'Deep Dive', message: 'Stopped at its $5.00 cap.', at_ms: 1_700_000_000_000 },
      { kind: 'failed', episode_id: 'ep-7', topic: 'Tides', show_name: 'Night Shift', message: 'Speech failed (provider_unavailable).', at_ms: 1_699_000_000_000 },
    ],
    ...over,
  };
}

let answers: Record<string, DashboardView> = {};

beforeEach(() => {
  charts.made = [];
  charts.destroyed = 0;
  answers = { all: view() };
  invokeMock.mockReset();
  invokeMock.mockImplementation(async (name, args) => {
    if (name === 'list_shows') return [show('show-1', 'Deep Dive'), show('show-2', 'Night Shift')];
    if (name === 'dashboard') return answers[(args as { showId: string | null }).showId ?? 'all'];
    throw new Error(`unexpected ${name}`);
  });
});

const cells = (testid: string) =>
  within(screen.getByTestId(testid))
    .getAllByRole('row')
    .map((r) => Array.from(r.querySelectorAll('th, td')).map((c) => c.textContent?.trim()));

describe('DashboardScreen', () => {
  it('writes every figure as a table under its chart', async () => {
    render(DashboardScreen);
    await screen.findByTestId('figure-spend');
    expect(cells('figure-spend')).toEqual([
      ['', 'Spent', 'Caps', 'Episodes'],
      ['2026-10 · Night Shift', '$4.20', '$5.00', '1'],
      ['2026-11 · Deep Dive', '$12.50', '$30.00', '3'],
    ]);
    expect(cells('figure-cost-per-minute')[2]).toEqual(['Night Shift', '—', '0.0', '$0.00']);
    expect(cells('figure-cost-per-minute')[1]).toEqual(['Deep Dive', '$0.25', '50.0', '$12.50']);
    // A gate with no report in a month leaves a gap, not a zero.
    expect(cells('figure-gates')).toEqual([
      ['', 'Audio checks pass rate', 'Research gate pass rate'],
      ['2026-10', '—', '75%'],
      ['2026-11', '80%', '100%'],
    ]);
    expect(cells('figure-evaluations')[1]).toEqual(['2026-11', '7.3', '6']);
    expect(cells('figure-providers')[1]).toEqual(['Anthropic', '2', '1', '3', '40', '$9.00']);
    expect(cells('figure-releases')[1]).toEqual(['2026-11 · Deep Dive', '1.5 h', '3.0 days', '2']);
  });

  it('charts each figure, with the figures in words on hover, and counts kept to the table', async () => {
    render(DashboardScreen);
    await screen.findByTestId('figure-spend');
    await vi.waitFor(() => expect(charts.made).toHaveLength(6));
    const spend = charts.made.find((c) => c.data.datasets[0]?.label === 'Spent') as Config;
    expect(spend.type).toBe('bar');
    expect(spend.data.datasets.map((d) => d.label)).toEqual(['Spent', 'Caps']);
    expect(spend.data.datasets[0]?.data).toEqual([4_200_000, 12_500_000]);
    const hover = spend.options.plugins.tooltip.callbacks.label;
    expect(hover({ datasetIndex: 1, raw: 30_000_000 })).toBe('Caps: $30.00');
    const providers = charts.made.find((c) => c.data.datasets[0]?.label === 'Retries') as Config;
    expect(providers.data.datasets.map((d) => d.label)).toEqual(['Retries', 'Fallbacks', 'Failed']);
    expect(providers.options.plugins.tooltip.callbacks.label({ datasetIndex: 1, raw: 1 })).toBe('Fallbacks: 1');
  });

  it('lists the alerts newest first, each linking to its episode', async () => {
    render(DashboardScreen);
    const alerts = await screen.findByTestId('dashboard-alerts');
    const links = within(alerts).getAllByRole('link');
    expect(links.map((l) => l.getAttribute('href'))).toEqual(['#/episodes/ep-9', '#/episodes/ep-7']);
    expect(links[0]).toHaveTextContent('Budget: stopped');
    expect(links[0]).toHaveTextContent('Whale song');
    expect(links[0]).toHaveTextContent('Stopped at its $5.00 cap.');
    expect(links[1]).toHaveTextContent('Speech failed (provider_unavailable).');
  });

  it('narrows every figure to the show picked, and redraws', async () => {
    answers['show-2'] = view({
      show_id: 'show-2',
      spend: [{ show_id: 'show-2', show_name: 'Night Shift', month: '2026-10', episodes: 1, caps: 5_000_000, spent: 4_200_000 }],
      alerts: [],
      releases: [],
    });
    render(DashboardScreen);
    await screen.findByTestId('figure-spend');
    await screen.findByRole('option', { name: 'Night Shift' });
    await fireEvent.change(screen.getByTestId('dashboard-show'), { target: { value: 'show-2' } });
    await vi.waitFor(() => expect(cells('figure-spend')).toHaveLength(2));
    expect(invokeMock).toHaveBeenLastCalledWith('dashboard', { showId: 'show-2' });
    expect(cells('figure-spend')[1]?.[0]).toBe('2026-10 · Night Shift');
    expect(screen.getByTestId('dashboard-alerts')).toHaveTextContent('No budget or failure alerts.');
    expect(screen.getByTestId('figure-releases')).toHaveTextContent('Nothing to show yet.');
    expect(charts.destroyed).toBeGreaterThan(0);
  });
});
