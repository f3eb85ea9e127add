import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import RunScreen from '../RunScreen.svelte';
import { FakeChannel } from '../../test-utils/tauri';
import { episode, runView } from '../../test-utils/fixtures';
import { ledgerView } from '../../test-utils/producer';
import type { LedgerView, RunView } from '../../lib/backend/bindings';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn(async () => () => {}) }));

const invokeMock = vi.mocked(invoke);
let ledger: LedgerView = ledgerView();

const parkedOnBudget = runView({ status: 'parked', park: { kind: 'budget_exhausted', stage: 'research.discover' } });

beforeEach(() => {
  invokeMock.mockReset();
  ledger = ledgerView();
  invokeMock.mockImplementation(async (command) => {
    switch (command) {
      case 'get_episode':
        return { episode: episode(), run: runView() };
      case 'run_ledger':
        return ledger;
      default:
        return undefined;
    }
  });
});

function runChannel(): FakeChannel<RunView> {
  const call = invokeMock.mock.calls.find(([command]) => command === 'watch_run');
  const args = call?.[1] as { onProgress: FakeChannel<RunView> } | undefined;
  if (!args) throw new Error('watch_run was not called');
  return args.onProgress;
}

const ledgerCalls = () => invokeMock.mock.calls.filter(([command]) => command === 'run_ledger').length;

describe('RunScreen · budget', () => {
  it('shows the ledger and refreshes it as the run moves', async () => {
    render(RunScreen, { props: { episodeId: 'ep-1' } });
    expect(await screen.findByTestId('run-ledger')).toHaveTextContent('Budget & paid calls');
    expect(invokeMock).toHaveBeenCalledWith('run_ledger', { runId: 'run-1' });
    const before = ledgerCalls();

    ledger = ledgerView({ level: 'warn', settled: 8_300_000, reserved: 0 });
    runChannel().send(runView({ spent: 8_300_000 }));
    expect(await screen.findByTestId('budget-banner-warn')).toHaveTextContent('Budget at 80 %');
    expect(ledgerCalls()).toBeGreaterThan(before);
  });

  it('turns a run stopped at the cap into one banner with the raise action', async () => {
    ledger = ledgerView({ level: 'halt', parked_on_budget: true, settled: 10_000_000, reserved: 0 });
    render(RunScreen, { props: { episodeId: 'ep-1' } });
    await vi.waitFor(() => expect(invokeMock).toHaveBeenCalledWith('watch_run', expect.anything()));
    runChannel().send(parkedOnBudget);
    expect(await screen.findByTestId('budget-banner-halt')).toHaveTextContent('Budget reached: raise the cap or stop');
    expect(screen.queryByTestId('park-notice')).not.toBeInTheDocument();

    ledger = ledgerView();
    invokeMock.mockImplementationOnce(async () => runView());
    await fireEvent.input(screen.getByTestId('raise-budget-input'), { target: { value: '20' } });
    await fireEvent.click(screen.getByTestId('raise-budget'));
    expect(invokeMock).toHaveBeenCalledWith('raise_budget', { runId: 'run-1', newCap: 20_000_000 });
    await vi.waitFor(() => expect(screen.queryByTestId('budget-banner-halt')).not.toBeInTheDocument());
  });
});
