import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import RunScreen from '../RunScreen.svelte';
import { FakeChannel } from '../../test-utils/tauri';
import { episode, runView, stage } from '../../test-utils/fixtures';
import type { RunView } from '../../lib/backend/bindings';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn(async () => () => {}) }));

const invokeMock = vi.mocked(invoke);

beforeEach(() => {
  invokeMock.mockReset();
  vi.mocked(listen).mockImplementation(async () => () => {});
  invokeMock.mockImplementation(async (command) => {
    if (command === 'get_episode') return { episode: episode(), run: runView() };
    return undefined;
  });
});

function progressChannel(): FakeChannel<RunView> {
  const call = invokeMock.mock.calls.find(([command]) => command === 'watch_run');
  const args = call?.[1] as { runId: string; onProgress: FakeChannel<RunView> } | undefined;
  if (!args) throw new Error('watch_run was not called');
  expect(args.runId).toBe('run-1');
  return args.onProgress;
}

describe('RunScreen', () => {
  it('streams stage updates from the watch_run channel and stops listening when left', async () => {
    const { unmount } = render(RunScreen, { props: { episodeId: 'ep-1' } });
    expect(await screen.findByTestId('stage-row-research-discover')).toHaveAttribute('data-status', 'running');
    expect(screen.getByTestId('rehearsal-banner')).toHaveTextContent('not AI');

    await vi.waitFor(() => progressChannel());
    const channel = progressChannel();
    channel.send(
      runView({
        spent: 2_000_000,
        stages: [
          stage('research.discover', { label: 'Discover', status: 'done', attempts: 1 }),
          stage('plan', { label: 'Plan', status: 'running' }),
        ],
      }),
    );
    await vi.waitFor(() =>
      expect(screen.getByTestId('stage-row-research-discover')).toHaveAttribute('data-status', 'done'),
    );
    expect(screen.getByTestId('stage-row-plan')).toHaveAttribute('data-status', 'running');
    expect(screen.getByTestId('budget')).toHaveTextContent('$2.00');

    unmount();
    // After leaving, whatever still arrives is dropped.
    expect(() => channel.send(runView())).not.toThrow();
  });

  it('names the voice that really read a rehearsal, not a guess', async () => {
    render(RunScreen, { props: { episodeId: 'ep-1' } });
    const banner = await screen.findByTestId('rehearsal-banner');
    expect(banner).not.toHaveTextContent('Read by');
    await vi.waitFor(() => progressChannel());
    progressChannel().send(
      runView({
        stages: [
          stage('audio.synthesize', {
            label: 'Voice',
            status: 'done',
            route: 'Piper (offline neural voice) · Alex: en_US-joe-medium, Sam: en_US-joe-medium (slower pace)',
          }),
        ],
      }),
    );
    await vi.waitFor(() =>
      expect(screen.getByTestId('rehearsal-speaker')).toHaveTextContent(
        'Read by Piper (offline neural voice) · Alex: en_US-joe-medium',
      ),
    );
    expect(screen.getByTestId('rehearsal-banner')).not.toHaveTextContent("system's speech engine");
  });

  it('offers sign-off when parked at script.signoff, and the release gate when parked there', async () => {
    render(RunScreen, { props: { episodeId: 'ep-1' } });
    await vi.waitFor(() => progressChannel());
    const channel = progressChannel();
    channel.send(runView({ status: 'parked', park: { kind: 'human_gate', stage: 'script.signoff' } }));
    const signoff = await screen.findByTestId('open-signoff');
    expect(signoff).toHaveAttribute('href', '#/episodes/ep-1/script');
    expect(screen.getByTestId('park-notice')).toHaveTextContent('waiting for your sign-off');

    channel.send(runView({ status: 'parked', park: { kind: 'human_gate', stage: 'release' } }));
    expect(await screen.findByTestId('open-release')).toHaveAttribute('href', '#/episodes/ep-1/release');
    expect(screen.queryByTestId('open-signoff')).not.toBeInTheDocument();
  });

  it('puts the decision panel where the notice is, for an escalated gate and for a failed run', async () => {
    render(RunScreen, { props: { episodeId: 'ep-1' } });
    await vi.waitFor(() => progressChannel());
    const channel = progressChannel();
    channel.send(
      runView({
        status: 'parked',
        park: { kind: 'gate_escalated', stage: 'research.validate', summary: 'No findings for q2.' },
        decision: {
          kind: 'research',
          stage: 'research.validate',
          label: 'Research · validate',
          headline: 'the research gate kept failing',
          summary: 'No findings for q2.',
          failing: ['Every question answered: No findings for q2.'],
          hint: null,
          advice: null,
          available: [{ kind: 'continue_anyway' }, { kind: 'stop' }],
        },
      }),
    );
    expect(await screen.findByTestId('decide-continue')).toBeInTheDocument();
    expect(screen.getByTestId('decision-panel')).toHaveTextContent('No findings for q2.');

    channel.send(
      runView({
        status: 'failed',
        decision: {
          kind: 'failed',
          stage: 'plan',
          label: 'Plan',
          headline: 'a stage failed',
          summary: 'The answer did not match the schema.',
          failing: [],
          hint: 'retry_or_change_route',
          advice: 'The model’s answer could not be used; retry, or choose another model for the job in Routes.',
          available: [{ kind: 'retry' }, { kind: 'stop' }],
        },
      }),
    );
    expect(await screen.findByTestId('decide-retry')).toBeInTheDocument();
    expect(screen.queryByTestId('decide-continue')).not.toBeInTheDocument();
  });

  it('shows an error when the episode cannot be opened', async () => {
    invokeMock.mockImplementation(async () => {
      throw { code: 'not_found', message: 'That episode was not found', details: null };
    });
    render(RunScreen, { props: { episodeId: 'missing' } });
    expect(await screen.findByRole('alert')).toHaveTextContent('That episode was not found');
  });
});

describe('RunScreen draft master', () => {
  const draft = {
    line_id: 'S2-L4',
    take: 2,
    wav_path: '/blobs/draft.wav',
    duration_ms: 600_000,
    cue: { line_id: 'S2-L4', speaker: 'Sam', text: 'The keeper climbed the steps.', start_ms: 312_000, end_ms: 316_500 },
    integrated_lufs: -15.6,
    took_ms: 420,
  };

  it('offers the new take in place while the master is made, plays it, and goes when the master is in', async () => {
    const playing = { loaded: draft.wav_path, playing: true, position_ms: 310_000, duration_ms: 600_000, finished: false };
    invokeMock.mockImplementation(async (command) => {
      if (command === 'get_episode') return { episode: episode(), run: runView() };
      if (command === 'player_load_draft') return { ...playing, playing: false };
      if (command === 'player_play') return playing;
      return undefined;
    });
    render(RunScreen, { props: { episodeId: 'ep-1' } });
    await vi.waitFor(() => progressChannel());
    progressChannel().send(
      runView({ draft_master: draft, stages: [stage('audio.master', { label: 'Master', status: 'running' })] }),
    );
    const card = await screen.findByTestId('draft-master');
    expect(card).toHaveTextContent('Take 2 of line S2-L4 is ready to hear in place');
    expect(screen.getByTestId('draft-line')).toHaveTextContent('5:12 · Sam');
    expect(screen.getByTestId('draft-line')).toHaveTextContent('The keeper climbed the steps.');

    screen.getByTestId('hear-draft').click();
    await vi.waitFor(() => expect(invokeMock).toHaveBeenCalledWith('player_load_draft', { episodeId: 'ep-1' }));
    await vi.waitFor(() => expect(invokeMock).toHaveBeenCalledWith('player_play', undefined));
    // The draft is in the player now: its controls replace the button.
    expect(await screen.findByTestId('player-pause')).toBeInTheDocument();
    expect(screen.queryByTestId('hear-draft')).not.toBeInTheDocument();

    progressChannel().send(runView({ stages: [stage('audio.master', { label: 'Master', status: 'done' })] }));
    await vi.waitFor(() => expect(screen.queryByTestId('draft-master')).not.toBeInTheDocument());
    // The draft was playing when the finished master replaced it: the player is paused.
    await vi.waitFor(() => expect(invokeMock).toHaveBeenCalledWith('player_pause', undefined));
  });
});
