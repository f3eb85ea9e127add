import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import EstimatePanel from '../episodes/EstimatePanel.svelte';
import { ESTIMATE_DEBOUNCE_MS } from '../../lib/estimate';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);

/** A dollar a minute: research a tenth, audio a fifth, writing the rest; shares of a $33.25 cap. */
function estimateFor(minutes: number, overAllocation: string[] = []) {
  const total = minutes * 1_000_000;
  const phase = (id: string, label: string, cost: number, allocation: number) => ({ phase: id, label, cost, allocation });
  return {
    phases: [
      phase('research', 'Research', total / 10, 6_650_000),
      phase('production', 'Writing & review', (total * 7) / 10, 16_957_500),
      phase('audio', 'Audio', total / 5, 9_642_500),
    ],
    total,
    providers: [],
    over_allocation: overAllocation,
  };
}

beforeEach(() => {
  invokeMock.mockReset();
  invokeMock.mockImplementation(async (command, args) => {
    if (command === 'estimate_cost')
      return estimateFor((args as { request: { target_minutes: number } }).request.target_minutes);
    return undefined;
  });
});

const estimateCalls = () => invokeMock.mock.calls.filter(([command]) => command === 'estimate_cost');

describe('EstimatePanel', () => {
  it('asks once after the producer pauses, for the latest length, and shows each phase beside the cap', async () => {
    const { rerender } = render(EstimatePanel, { props: { minutes: 2, budgetCap: 33_250_000 } });
    await rerender({ minutes: 20, budgetCap: 33_250_000 });
    await rerender({ minutes: 25, budgetCap: 33_250_000 });
    expect(estimateCalls()).toHaveLength(0);

    await vi.waitFor(() => expect(screen.getByTestId('estimate-total')).toHaveTextContent('$25.00'), {
      timeout: ESTIMATE_DEBOUNCE_MS * 4,
    });
    expect(estimateCalls()).toEqual([
      [
        'estimate_cost',
        {
          request: { target_minutes: 25, budget_cap: 33_250_000, format: 'deep_dive', show_id: null, sources: [] },
        },
      ],
    ]);
    expect(screen.getByTestId('estimate-research')).toHaveTextContent('$2.50');
    expect(screen.getByTestId('estimate-production')).toHaveTextContent('$17.50');
    expect(screen.getByTestId('estimate-audio')).toHaveTextContent('$5.00');
    // The phases are the pipeline's, named as it names them.
    expect(screen.getByText('Writing & review')).toBeInTheDocument();
    expect(screen.queryByTestId('estimate-over-share')).not.toBeInTheDocument();
    expect(screen.getByTestId('estimate-cap')).toHaveTextContent('$33.25');
    expect(screen.queryByTestId('estimate-over-cap')).not.toBeInTheDocument();
  });

  it("asks for the form's format, show and sources too, and again when they change", async () => {
    const note = { kind: 'note' as const, text: 'Tides turn twice a day.' };
    const { rerender } = render(EstimatePanel, {
      props: { minutes: 10, budgetCap: 33_250_000, format: 'debate', showId: 's1', sources: [] },
    });
    await vi.waitFor(() => expect(estimateCalls()).toHaveLength(1), { timeout: ESTIMATE_DEBOUNCE_MS * 4 });
    await rerender({ minutes: 10, budgetCap: 33_250_000, format: 'debate', showId: 's1', sources: [note] });
    await vi.waitFor(() => expect(estimateCalls()).toHaveLength(2), { timeout: ESTIMATE_DEBOUNCE_MS * 4 });
    expect(estimateCalls()[1]?.[1]).toEqual({
      request: { target_minutes: 10, budget_cap: 33_250_000, format: 'debate', show_id: 's1', sources: [note] },
    });
  });

  it('says when the estimate is over the cap', async () => {
    render(EstimatePanel, { props: { minutes: 40, budgetCap: 33_250_000 } });
    expect(await screen.findByTestId('estimate-over-cap', {}, { timeout: ESTIMATE_DEBOUNCE_MS * 4 })).toBeVisible();
  });

  it('names the phases expected over their share by their labels', async () => {
    invokeMock.mockImplementation(async (command) =>
      command === 'estimate_cost' ? estimateFor(25, ['production']) : undefined,
    );
    render(EstimatePanel, { props: { minutes: 25, budgetCap: 33_250_000 } });
    const hint = await screen.findByTestId('estimate-over-share', {}, { timeout: ESTIMATE_DEBOUNCE_MS * 4 });
    expect(hint).toHaveTextContent('Expected over its share of the cap: Writing & review');
  });

  it('asks nothing while the length is not a number of minutes', async () => {
    render(EstimatePanel, { props: { minutes: null, budgetCap: 33_250_000 } });
    await new Promise((r) => setTimeout(r, ESTIMATE_DEBOUNCE_MS * 2));
    expect(estimateCalls()).toHaveLength(0);
  });
});
