import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import ScriptScreen from '../ScriptScreen.svelte';
import type { ScriptDiff, ScriptVersion, ScriptView } from '../../lib/backend/bindings';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);

function scriptView(version = 1, text = 'Lighthouses saved ships.', locked = false): ScriptView {
  return {
    episode_id: 'ep-1',
    artifact: { id: `a${version}`, kind: 'script', stage: 'script.polish', version, created_at_ms: 0 },
    latest_version: version,
    speakers: ['Alex', 'Sam'],
    script: {
      title: 'Lights at sea',
      segments: [
        {
          id: 'S1',
          title: 'Opening',
          lines: [
            { id: 'S1-L1', speaker: 'Alex', text, facts: ['F1'], locked, comment: '' },
            { id: 'S1-L2', speaker: 'Sam', text: 'And sailors trusted them.', facts: [], locked: false, comment: '' },
          ],
        },
      ],
    },
    research: {
      topic: 'Lighthouses',
      facts: [
        { id: 'F1', statement: 'The Pharos stood for centuries.', sources: [] },
        { id: 'F2', statement: 'Fresnel lenses focus light.', sources: [] },
      ],
      open_questions: [],
      uncertainties: [],
    },
    editable: true,
  };
}

function version(v: number, origin: ScriptVersion['origin'], note = ''): ScriptVersion {
  return { version: v, origin, label: origin, author: 'rehearsal', note, stage: 'script.write', created_at_ms: 0, lines: 2, locked_lines: 0 };
}

const diff: ScriptDiff = {
  from_version: 1,
  to_version: 2,
  changed: 1,
  added: 0,
  removed: 0,
  rows: [
    {
      change: 'changed',
      old: { line_id: 'S1-L1', speaker: 'Alex', locked: false, facts: [], spans: [{ text: 'Old ', changed: false }, { text: 'words', changed: true }] },
      new: { line_id: 'S1-L1', speaker: 'Alex', locked: true, facts: [], spans: [{ text: 'Old ', changed: false }, { text: 'phrase', changed: true }] },
    },
  ],
};

let latest = 1;

beforeEach(() => {
  latest = 1;
  invokeMock.mockReset();
  invokeMock.mockImplementation(async (command, args) => {
    const a = args as Record<string, unknown>;
    if (command === 'get_script') return scriptView(latest);
    if (command === 'script_versions') return [version(1, 'writer')];
    if (command === 'diff_script') return diff;
    if (command === 'edit_script') {
      const request = a.request as { base_version: number; edits: { op: string; text?: string; locked?: boolean }[] };
      if (request.base_version !== latest) {
        throw { code: 'conflict', message: 'Version 2 is newer.', details: { errors: [{ field: 'base_version', message: 'stale' }], current: scriptView(2, 'Theirs.') } };
      }
      latest += 1;
      const edit: { text?: string; locked?: boolean } = request.edits[0] ?? {};
      return scriptView(latest, edit.text ?? 'Lighthouses saved ships.', edit.locked ?? false);
    }
    if (command === 'restore_script_version') {
      latest += 1;
      return scriptView(latest);
    }
    return undefined;
  });
});

describe('ScriptScreen', () => {
  it('edits a line inline as a typed edit on the version on screen', async () => {
    render(ScriptScreen, { props: { episodeId: 'ep-1' } });
    const line = await screen.findByTestId('script-line-S1-L1');
    expect(line).toHaveTextContent('F1');
    expect(screen.getByTestId('fact-chip-F1')).toHaveAttribute('title', 'The Pharos stood for centuries.');

    await fireEvent.click(screen.getByRole('button', { name: /Lighthouses saved ships/ }));
    const editor = screen.getByTestId('script-line-editor');
    await fireEvent.input(editor, { target: { value: 'Lighthouses saved many ships.' } });
    await fireEvent.click(screen.getByTestId('line-save'));
    await vi.waitFor(() =>
      expect(invokeMock).toHaveBeenCalledWith('edit_script', {
        episodeId: 'ep-1',
        request: { base_version: 1, edits: [{ op: 'set_text', line_id: 'S1-L1', text: 'Lighthouses saved many ships.' }] },
      }),
    );
    expect(await screen.findByText('Lighthouses saved many ships.')).toBeInTheDocument();
  });

  it('locks a line with the L shortcut on the selected line, then undoes and redoes by restoring versions', async () => {
    render(ScriptScreen, { props: { episodeId: 'ep-1' } });
    await screen.findByTestId('script-line-S1-L1');
    await fireEvent.keyDown(window, { key: 'j' });
    await fireEvent.keyDown(window, { key: 'l' });
    await vi.waitFor(() =>
      expect(invokeMock).toHaveBeenCalledWith('edit_script', {
        episodeId: 'ep-1',
        request: { base_version: 1, edits: [{ op: 'set_lock', line_id: 'S1-L1', locked: true }] },
      }),
    );
    await vi.waitFor(() => expect(screen.getByTestId('line-lock-S1-L1')).toHaveAttribute('aria-pressed', 'true'));

    await fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    await vi.waitFor(() =>
      expect(invokeMock).toHaveBeenCalledWith('restore_script_version', { episodeId: 'ep-1', version: 1, baseVersion: 2 }),
    );
    await vi.waitFor(() => expect(screen.getByTestId('script-redo')).not.toBeDisabled());
    await fireEvent.click(screen.getByTestId('script-redo'));
    await vi.waitFor(() =>
      expect(invokeMock).toHaveBeenCalledWith('restore_script_version', { episodeId: 'ep-1', version: 2, baseVersion: 3 }),
    );
  });

  it('shows the newer version and says so when an edit was stale', async () => {
    render(ScriptScreen, { props: { episodeId: 'ep-1' } });
    await screen.findByTestId('script-line-S1-L1');
    latest = 2; // someone else saved version 2
    await fireEvent.click(screen.getByTestId('line-delete-S1-L2'));
    expect(await screen.findByTestId('script-conflict')).toHaveTextContent('Showing version 2');
    expect(await screen.findByText('Theirs.')).toBeInTheDocument();
  });

  it('compares two versions side by side with the changed words marked', async () => {
    invokeMock.mockImplementation(async (command) => {
      if (command === 'get_script') return scriptView(2);
      if (command === 'script_versions') return [version(1, 'producer_edit'), version(2, 'send_back', 'Warmer, please.')];
      if (command === 'diff_script') return diff;
      return undefined;
    });
    render(ScriptScreen, { props: { episodeId: 'ep-1' } });
    // After a send-back the rewrite is shown against the version that was sent back.
    const row = await screen.findByTestId('diff-row-S1-L1');
    expect(invokeMock).toHaveBeenCalledWith('diff_script', { episodeId: 'ep-1', from: 1, to: 2 });
    expect(row.querySelector('mark.old')).toHaveTextContent('words');
    expect(row.querySelector('mark.new')).toHaveTextContent('phrase');
    expect(screen.getByTestId('version-2')).toHaveTextContent('Warmer, please.');
  });

  it('sends the script back to the writer with a note, and refuses an empty note', async () => {
    render(ScriptScreen, { props: { episodeId: 'ep-1' } });
    await fireEvent.click(await screen.findByTestId('send-back-script'));
    expect(await screen.findByText(/Say what should change/)).toBeInTheDocument();
    await fireEvent.input(screen.getByTestId('send-back-note'), { target: { value: 'Warmer opening.' } });
    await fireEvent.click(screen.getByTestId('send-back-script'));
    await vi.waitFor(() =>
      expect(invokeMock).toHaveBeenCalledWith('send_back_script', { episodeId: 'ep-1', stage: 'script.write', note: 'Warmer opening.' }),
    );
  });

  it('approves the script with the optional note and returns to the run', async () => {
    render(ScriptScreen, { props: { episodeId: 'ep-1' } });
    await fireEvent.click(await screen.findByTestId('approve-script'));
    await vi.waitFor(() => expect(invokeMock).toHaveBeenCalledWith('approve_script', { episodeId: 'ep-1', note: '' }));
    expect(window.location.hash).toBe('#/episodes/ep-1');
  });
});
