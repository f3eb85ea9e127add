import '@testing-library/jest-dom/vitest';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import LineTakesPanel from '../release/LineTakesPanel.svelte';
import type { Cue, LineTakesView } from '../../lib/backend/bindings';
import { apiError } from '../../test-utils/tauri';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

const cues: Cue[] = [
  { line_id: 'S1-L1', speaker: 'Alex', text: 'Welcome aboard.', start_ms: 0, end_ms: 2_000 },
  { line_id: 'S1-L2', speaker: 'Sam', text: 'The lamp was lit at dusk.', start_ms: 2_350, end_ms: 5_000 },
];

function takes(overrides: Partial<LineTakesView> = {}): LineTakesView {
  return {
    line_id: 'S1-L2',
    speaker: 'Sam',
    current: 2,
    master_version: 3,
    takes: [
      { take: 1, text: 'The lamp was lit at dusk.', change: "the stage's take", wav_path: '/a/1.wav', duration_ms: 2_650, in_master: false },
      { take: 2, text: 'The lamp was lit at dusk.', change: 'fresh take', wav_path: '/a/2.wav', duration_ms: 2_900, in_master: true },
    ],
    ...overrides,
  };
}

/** The backend answers each command by name; anything else resolves to nothing. */
function backend(answers: Record<string, () => Promise<unknown>>) {
  invokeMock.mockImplementation((command) => (answers[command] ?? (() => Promise.resolve(undefined)))());
}

beforeEach(() => {
  invokeMock.mockReset();
});

describe('LineTakesPanel', () => {
  it('regenerates a line with only what the producer changed, then hands back', async () => {
    backend({
      line_takes: () => Promise.resolve(takes({ takes: takes().takes.slice(0, 1).map((t) => ({ ...t, in_master: true })) })),
      regenerate_line: () => Promise.resolve({ line_id: 'S1-L2', take: 2 }),
    });
    const onChosen = vi.fn();
    render(LineTakesPanel, { episodeId: 'e1', cues, onChosen });
    await fireEvent.click(screen.getByTestId('regenerate-S1-L2'));
    expect(await screen.findByTestId('regenerate-form')).toBeInTheDocument();
    expect(screen.getByTestId('take-text')).toHaveValue('The lamp was lit at dusk.');
    await fireEvent.input(screen.getByTestId('take-voice'), { target: { value: 'en-gb' } });
    await fireEvent.click(screen.getByTestId('regenerate-submit'));
    expect(invokeMock).toHaveBeenCalledWith('regenerate_line', {
      episodeId: 'e1',
      request: { line_id: 'S1-L2', master_version: 3, text: null, voice: 'en-gb', engine: null, pronunciation: null },
    });
    await vi.waitFor(() => expect(onChosen).toHaveBeenCalledWith(expect.stringContaining('take 2')));
  });

  it('sends new words and a pronunciation, and refuses empty words or half a pronunciation itself', async () => {
    backend({
      line_takes: () => Promise.resolve(takes()),
      regenerate_line: () => Promise.resolve({ line_id: 'S1-L2', take: 3 }),
    });
    render(LineTakesPanel, { episodeId: 'e1', cues, onChosen: vi.fn() });
    await fireEvent.click(screen.getByTestId('regenerate-S1-L2'));
    await screen.findByTestId('regenerate-form');
    await fireEvent.input(screen.getByTestId('take-text'), { target: { value: '  ' } });
    await fireEvent.input(screen.getByTestId('take-word'), { target: { value: 'Fresnel' } });
    await fireEvent.click(screen.getByTestId('regenerate-submit'));
    expect(screen.getByText('Give the line some words.')).toBeInTheDocument();
    expect(screen.getByText('Fill in both the word and how to say it.')).toBeInTheDocument();
    expect(invokeMock).not.toHaveBeenCalledWith('regenerate_line', expect.anything());

    await fireEvent.input(screen.getByTestId('take-text'), { target: { value: 'The Fresnel lens was lit at dusk.' } });
    await fireEvent.input(screen.getByTestId('take-say-as'), { target: { value: 'fray-nel' } });
    await fireEvent.click(screen.getByTestId('regenerate-submit'));
    expect(invokeMock).toHaveBeenCalledWith('regenerate_line', {
      episodeId: 'e1',
      request: {
        line_id: 'S1-L2',
        master_version: 3,
        text: 'The Fresnel lens was lit at dusk.',
        voice: null,
        engine: null,
        pronunciation: { word: 'Fresnel', say_as: 'fray-nel' },
      },
    });
  });

  it("shows the backend's field error in place", async () => {
    backend({
      line_takes: () => Promise.resolve(takes()),
      regenerate_line: () =>
        Promise.reject(apiError('invalid_input', 'No speech engine "nope" is set up.', { engine: 'No speech engine "nope" is set up.' })),
    });
    render(LineTakesPanel, { episodeId: 'e1', cues, onChosen: vi.fn() });
    await fireEvent.click(screen.getByTestId('regenerate-S1-L2'));
    await screen.findByTestId('regenerate-form');
    await fireEvent.input(screen.getByTestId('take-engine'), { target: { value: 'nope' } });
    await fireEvent.click(screen.getByTestId('regenerate-submit'));
    expect(await screen.findByText('No speech engine "nope" is set up.')).toBeInTheDocument();
  });

  it('plays the old and the new take and keeps the old one', async () => {
    backend({ line_takes: () => Promise.resolve(takes()), keep_take: () => Promise.resolve({ line_id: 'S1-L2', take: 1 }) });
    const onChosen = vi.fn();
    render(LineTakesPanel, { episodeId: 'e1', cues, onChosen });
    await fireEvent.click(screen.getByTestId('regenerate-S1-L2'));
    await screen.findByTestId('ab-panel');
    // The newest take is already in the master (the gate parked again after the regenerate): "old" is the
    // take before it.
    expect(screen.getByTestId('play-old')).toHaveTextContent('take 1');
    expect(screen.getByTestId('play-new')).toHaveTextContent('take 2');
    await fireEvent.click(screen.getByTestId('play-take-1'));
    expect(invokeMock).toHaveBeenCalledWith('player_load_take', { episodeId: 'e1', lineId: 'S1-L2', take: 1 });
    await vi.waitFor(() => expect(invokeMock).toHaveBeenCalledWith('player_play', undefined));
    expect(screen.getByTestId('keep-take-2')).toBeDisabled();
    await fireEvent.click(screen.getByTestId('keep-take-1'));
    expect(invokeMock).toHaveBeenCalledWith('keep_take', {
      episodeId: 'e1',
      request: { line_id: 'S1-L2', take: 1, master_version: 3 },
    });
    await vi.waitFor(() => expect(onChosen).toHaveBeenCalledWith(expect.stringContaining('Keeping take 1')));
  });

  it('offers ▶ old and ▶ new when the newest take is not the one in the master', async () => {
    const view = takes();
    view.takes = view.takes.map((t) => ({ ...t, in_master: t.take === 1 }));
    backend({ line_takes: () => Promise.resolve(view) });
    render(LineTakesPanel, { episodeId: 'e1', cues, onChosen: vi.fn() });
    await fireEvent.click(screen.getByTestId('regenerate-S1-L2'));
    await fireEvent.click(await screen.findByTestId('play-new'));
    expect(invokeMock).toHaveBeenCalledWith('player_load_take', { episodeId: 'e1', lineId: 'S1-L2', take: 2 });
    await fireEvent.click(screen.getByTestId('play-old'));
    expect(invokeMock).toHaveBeenCalledWith('player_load_take', { episodeId: 'e1', lineId: 'S1-L2', take: 1 });
  });

  it('offers no A/B pair for a line with one take', async () => {
    const view = takes();
    view.takes = view.takes.slice(0, 1).map((t) => ({ ...t, in_master: true }));
    backend({ line_takes: () => Promise.resolve(view) });
    render(LineTakesPanel, { episodeId: 'e1', cues, onChosen: vi.fn() });
    await fireEvent.click(screen.getByTestId('regenerate-S1-L2'));
    await screen.findByTestId('ab-panel');
    expect(screen.queryByTestId('play-old')).not.toBeInTheDocument();
    expect(screen.queryByTestId('play-new')).not.toBeInTheDocument();
  });

  it('says which take is in the player and goes back to the master', async () => {
    const view = takes();
    view.takes = view.takes.map((t) => ({ ...t, in_master: t.take === 1 }));
    backend({ line_takes: () => Promise.resolve(view) });
    render(LineTakesPanel, { episodeId: 'e1', cues, onChosen: vi.fn() });
    await fireEvent.click(screen.getByTestId('regenerate-S1-L2'));
    expect(await screen.findByTestId('in-player')).toHaveTextContent('In the player: the master.');
    expect(screen.queryByTestId('play-master')).not.toBeInTheDocument();

    await fireEvent.click(screen.getByTestId('play-new'));
    await vi.waitFor(() =>
      expect(screen.getByTestId('in-player')).toHaveTextContent('take 2 of line S1-L2, not the master'),
    );
    await fireEvent.click(screen.getByTestId('play-master'));
    expect(invokeMock).toHaveBeenCalledWith('player_load', { episodeId: 'e1' });
    await vi.waitFor(() => expect(screen.getByTestId('in-player')).toHaveTextContent('In the player: the master.'));
    expect(screen.queryByTestId('play-master')).not.toBeInTheDocument();
  });

  it('keeps saying a take is loaded when the master cannot be loaded back', async () => {
    const view = takes();
    view.takes = view.takes.map((t) => ({ ...t, in_master: t.take === 1 }));
    backend({
      line_takes: () => Promise.resolve(view),
      player_load: () => Promise.reject(apiError('not_found', 'The master is gone.')),
    });
    render(LineTakesPanel, { episodeId: 'e1', cues, onChosen: vi.fn() });
    await fireEvent.click(screen.getByTestId('regenerate-S1-L2'));
    await fireEvent.click(await screen.findByTestId('play-old'));
    await fireEvent.click(await screen.findByTestId('play-master'));
    expect(await screen.findByTestId('line-takes-error')).toHaveTextContent('The master is gone.');
    expect(screen.getByTestId('in-player')).toHaveTextContent('take 1 of line S1-L2');
  });
});

describe('RevoiceForm', () => {
  it('shows the estimate first, then re-voices on confirmation', async () => {
    const { default: RevoiceForm } = await import('../release/RevoiceForm.svelte');
    const estimate = { host: 'Sam', lines: 12, characters: 1_480, engine: 'System speech', estimate: 0 };
    backend({ revoice_estimate: () => Promise.resolve(estimate), revoice: () => Promise.resolve(estimate) });
    const onChosen = vi.fn();
    render(RevoiceForm, { episodeId: 'e1', hosts: ['Alex', 'Sam'], masterVersion: 4, onChosen });
    await fireEvent.click(screen.getByTestId('revoice-estimate-button'));
    expect(screen.getByText('Choose the new voice.')).toBeInTheDocument();
    expect(invokeMock).not.toHaveBeenCalled();

    await fireEvent.change(screen.getByTestId('revoice-host'), { target: { value: 'Sam' } });
    await fireEvent.input(screen.getByTestId('revoice-voice'), { target: { value: 'en-gb' } });
    await fireEvent.click(screen.getByTestId('revoice-estimate-button'));
    expect(await screen.findByTestId('revoice-estimate')).toHaveTextContent('12 lines (1480 characters) on System speech');
    expect(invokeMock).not.toHaveBeenCalledWith('revoice', expect.anything());
    await fireEvent.click(screen.getByTestId('revoice-confirm'));
    expect(invokeMock).toHaveBeenCalledWith('revoice', {
      episodeId: 'e1',
      request: { host: 'Sam', voice: 'en-gb', engine: null, master_version: 4 },
    });
    await vi.waitFor(() => expect(onChosen).toHaveBeenCalledWith(expect.stringContaining("Sam's 12 lines")));
  });
});
