import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import BudgetBanners from '../run/BudgetBanners.svelte';
import RunLedger from '../run/RunLedger.svelte';
import { apiError } from '../../test-utils/tauri';
import { ledgerView } from '../../test-utils/producer';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);
beforeEach(() => invokeMock.mockReset());

const halted = ledgerView({ level: 'halt', parked_on_budget: true, settled: 10_000_000, reserved: 0 });

describe('Budget on the Run screen', () => {
  it('warns at 80 % and says the fallback routes are in use at 95 %', () => {
    const { unmount } = render(BudgetBanners, {
      props: { ledger: ledgerView({ level: 'warn', settled: 8_200_000, reserved: 0 }), onRaised: vi.fn() },
    });
    expect(screen.getByTestId('budget-banner-warn')).toHaveTextContent('Budget at 80 %');
    expect(screen.getByTestId('budget-banner-warn')).toHaveTextContent('$8.20 of $10.00 is spent or held.');
    unmount();
    render(BudgetBanners, { props: { ledger: ledgerView({ level: 'degrade' }), onRaised: vi.fn() } });
    expect(screen.getByTestId('budget-banner-degrade')).toHaveTextContent('95 %: using fallback routes');
    expect(screen.queryByTestId('raise-budget')).not.toBeInTheDocument();
  });

  it('raises the cap from the halt banner, refusing an amount that is not higher', async () => {
    const onRaised = vi.fn();
    render(BudgetBanners, { props: { ledger: halted, onRaised } });
    expect(screen.getByTestId('budget-banner-halt')).toHaveTextContent('Budget reached: raise the cap or stop');
    const input = screen.getByTestId('raise-budget-input');

    await fireEvent.input(input, { target: { value: '8' } });
    await fireEvent.click(screen.getByTestId('raise-budget'));
    expect(screen.getByText('Enter more than $10.00, the current budget.')).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(invokeMock).not.toHaveBeenCalled();

    invokeMock.mockRejectedValueOnce(
      apiError('invalid_input', 'The budget is already $12.00; enter an amount above it (you asked for $11.00).', {
        budget_cap: 'The budget is already $12.00; enter an amount above it (you asked for $11.00).',
      }),
    );
    await fireEvent.input(input, { target: { value: '11' } });
    await fireEvent.click(screen.getByTestId('raise-budget'));
    expect(await screen.findByText(/The budget is already \$12.00/)).toBeInTheDocument();
    expect(input).toHaveValue('11');

    invokeMock.mockResolvedValueOnce({ run_id: 'run-1' });
    await fireEvent.input(input, { target: { value: '15' } });
    await fireEvent.click(screen.getByTestId('raise-budget'));
    expect(invokeMock).toHaveBeenLastCalledWith('raise_budget', { runId: 'run-1', newCap: 15_000_000 });
    await vi.waitFor(() => expect(onRaised).toHaveBeenCalledWith({ run_id: 'run-1' }));
  });

  it('shows billed and held money on the bar and each stage’s calls, with answers only on request', async () => {
    render(RunLedger, { props: { ledger: ledgerView() } });
    expect(screen.getByTestId('ledger-settled')).toHaveTextContent('$2.00');
    expect(screen.getByTestId('ledger-reserved')).toHaveTextContent('$0.50');
    const stage = screen.getByTestId('ledger-stage-script-write');
    expect(stage).toHaveTextContent('Script · write');
    const call = screen.getByTestId('ledger-call-7');
    expect(call).toHaveTextContent('Anthropic (Claude) · claude-opus-4-5');
    expect(call).toHaveTextContent('Done');
    expect(call).toHaveTextContent('req_011');
    expect(call).toHaveTextContent('$1.20');
    expect(screen.getByTestId('ledger-call-7-prompt')).toHaveTextContent('prompt script.write v1');
    expect(invokeMock).not.toHaveBeenCalled();

    invokeMock.mockResolvedValueOnce({ lines: ['Welcome back.'] });
    await fireEvent.click(screen.getByRole('button', { name: 'Show answer' }));
    expect(invokeMock).toHaveBeenCalledWith('call_answer', { runId: 'run-1', callId: 7 });
    expect(await screen.findByText(/Welcome back\./)).toBeInTheDocument();
  });
});
