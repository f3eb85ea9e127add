import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import DecisionPanel from '../run/DecisionPanel.svelte';
import { apiError } from '../../test-utils/tauri';
import { runView } from '../../test-utils/fixtures';
import type { ArtifactMeta, AvailableDecision, ParkView } from '../../lib/backend/bindings';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);
beforeEach(() => {
  invokeMock.mockReset();
  invokeMock.mockResolvedValue(runView({ status: 'running' }));
});

const notes: ArtifactMeta = {
  id: 'art-9',
  kind: 'research_notes',
  stage: 'research.deep_dive',
  version: 3,
  created_at_ms: 1,
};

function park(overrides: Partial<ParkView> = {}): ParkView {
  const available: AvailableDecision[] = [
    { kind: 'continue_anyway' },
    {
      kind: 'send_back',
      stages: [
        { stage: 'research.discover', label: 'Research · discover' },
        { stage: 'research.deep_dive', label: 'Research · deep dive' },
      ],
    },
    { kind: 'edit', target: 'research', artifact: notes },
    { kind: 'stop' },
  ];
  return {
    kind: 'research',
    stage: 'research.validate',
    label: 'Research · validate',
    headline: 'the research gate kept failing',
    summary: 'Every finding cites a source: 6 findings, 6 without a source.',
    failing: ['Every finding cites a source: 6 findings, 6 without a source.'],
    hint: null,
    advice: null,
    available,
    ...overrides,
  };
}

function renderPanel(view: ParkView, onOpenArtifact = vi.fn(), onDecided = vi.fn()) {
  render(DecisionPanel, {
    props: { park: view, runId: 'run-1', cap: 20_000_000, episodeId: 'ep-1', onDecided, onOpenArtifact },
  });
  return { onOpenArtifact, onDecided };
}

describe('DecisionPanel', () => {
  it('shows every failing figure even when two evaluators report the same one', () => {
    // Both evaluators' reports carry the same rule checks; a keyed list of the strings threw on the
    // duplicate and froze the whole run screen at the evaluation park.
    const same = 'About 1.0 min of speech for a 1.0 min plan (+0 %).';
    renderPanel(park({ kind: 'evaluation', failing: [same, 'Engagement scored 2.0', same] }));
    const items = screen.getByTestId('failing-figures').querySelectorAll('li');
    expect(items).toHaveLength(3);
    expect(items[2]).toHaveTextContent(same);
  });

  it('offers exactly the decisions of an escalated gate, with the failing figures', () => {
    renderPanel(park());
    const panel = screen.getByTestId('decision-panel');
    expect(panel).toHaveAttribute('data-park-kind', 'research');
    expect(panel).toHaveTextContent('Research · validate: the research gate kept failing');
    expect(screen.getByTestId('failing-figures')).toHaveTextContent('6 without a source');
    expect(screen.getByTestId('decide-continue')).toBeInTheDocument();
    expect(screen.getByTestId('decide-send-back')).toBeInTheDocument();
    expect(screen.getByTestId('decide-stop')).toBeInTheDocument();
    expect(screen.queryByTestId('decide-approve')).not.toBeInTheDocument();
    expect(screen.queryByTestId('decide-retry')).not.toBeInTheDocument();
    expect(screen.queryByTestId('raise-budget')).not.toBeInTheDocument();
  });

  it('continues anyway with the note, at the stage it showed', async () => {
    const { onDecided } = renderPanel(park());
    await fireEvent.input(screen.getByTestId('decision-note'), { target: { value: 'Sources follow in the notes' } });
    await fireEvent.click(screen.getByTestId('decide-continue'));
    await vi.waitFor(() => expect(onDecided).toHaveBeenCalled());
    expect(invokeMock).toHaveBeenCalledWith('decide', {
      runId: 'run-1',
      at: 'research.validate',
      decision: { kind: 'continue_anyway', note: 'Sources follow in the notes' },
    });
  });

  it('sends back to the chosen stage, and asks for a note first', async () => {
    renderPanel(park());
    await fireEvent.click(screen.getByTestId('decide-send-back'));
    expect(screen.getByText('Say what should change, so the crew knows what to redo.')).toBeInTheDocument();
    expect(invokeMock).not.toHaveBeenCalled();

    await fireEvent.change(screen.getByTestId('send-back-stage'), { target: { value: 'research.deep_dive' } });
    await fireEvent.input(screen.getByTestId('decision-note'), { target: { value: 'Cite the tide tables' } });
    await fireEvent.click(screen.getByTestId('decide-send-back'));
    await vi.waitFor(() =>
      expect(invokeMock).toHaveBeenCalledWith('decide', {
        runId: 'run-1',
        at: 'research.validate',
        decision: { kind: 'send_back', stage: 'research.deep_dive', note: 'Cite the tide tables' },
      }),
    );
  });

  it('opens the research facts, and stops only after confirmation', async () => {
    const { onOpenArtifact } = renderPanel(park());
    await fireEvent.click(screen.getByTestId('open-artifact'));
    expect(onOpenArtifact).toHaveBeenCalledWith(notes);

    await fireEvent.click(screen.getByTestId('decide-stop'));
    expect(invokeMock).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, stop it' }));
    await vi.waitFor(() =>
      expect(invokeMock).toHaveBeenCalledWith('decide', { runId: 'run-1', at: 'research.validate', decision: { kind: 'stop' } }),
    );
  });

  it('offers retry and stop for a failed run, saying what to do', async () => {
    renderPanel(
      park({
        kind: 'failed',
        stage: 'plan',
        label: 'Plan',
        headline: 'a stage failed',
        failing: [],
        hint: 'add_key',
        advice: 'Add or fix the provider’s API key in Providers, then retry.',
        available: [{ kind: 'retry' }, { kind: 'stop' }],
      }),
    );
    expect(screen.getByTestId('failure-advice')).toHaveTextContent('API key');
    expect(screen.queryByTestId('decide-continue')).not.toBeInTheDocument();
    expect(screen.queryByTestId('decision-note')).not.toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('decide-retry'));
    await vi.waitFor(() =>
      expect(invokeMock).toHaveBeenCalledWith('decide', { runId: 'run-1', at: 'plan', decision: { kind: 'retry' } }),
    );
  });

  it('shows a conflict when the run moved on meanwhile', async () => {
    invokeMock.mockRejectedValue(apiError('conflict', 'The run is waiting at script.signoff now, not at research.validate.'));
    const { onDecided } = renderPanel(park());
    await fireEvent.click(screen.getByTestId('decide-continue'));
    await vi.waitFor(() => expect(invokeMock).toHaveBeenCalled());
    expect(onDecided).not.toHaveBeenCalled();
  });

  it('raises the cap at a budget park', () => {
    renderPanel(
      park({
        kind: 'budget',
        stage: 'research.discover',
        failing: [],
        available: [{ kind: 'raise_budget', cap: 20_000_000, spent: 19_000_000 }, { kind: 'stop' }],
      }),
    );
    expect(screen.getByTestId('raise-budget')).toBeInTheDocument();
    expect(screen.getByTestId('decide-stop')).toBeInTheDocument();
    expect(screen.queryByTestId('decide-retry')).not.toBeInTheDocument();
  });
});
