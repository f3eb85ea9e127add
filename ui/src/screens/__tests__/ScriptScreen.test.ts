import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import ScriptScreen from '../ScriptScreen.svelte';
import type { ScriptView } from '../../lib/backend/bindings';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);

function scriptView(text = 'Lighthouses saved ships.'): ScriptView {
  return {
    episode_id: 'ep-1',
    artifact: { id: 'a1', kind: 'script', stage: 'script.polish', version: 1, created_at_ms: 0 },
    script: {
      title: 'Lights at sea',
      segments: [
        {
          id: 'S1',
          title: 'Opening',
          lines: [{ id: 'S1-L1', speaker: 'Alex', text, facts: ['F1'] }],
        },
      ],
    },
    research: {
      topic: 'Lighthouses',
      facts: [{ id: 'F1', statement: 'The Pharos stood for centuries.', sources: [] }],
      open_questions: [],
      uncertainties: [],
    },
    editable: true,
  };
}

beforeEach(() => {
  invokeMock.mockReset();
  invokeMock.mockImplementation(async (command, args) => {
    if (command === 'get_script') return scriptView();
    if (command === 'edit_line') return scriptView((args as { text: string }).text);
    return undefined;
  });
});

describe('ScriptScreen', () => {
  it('shows lines by segment and speaker with fact chips, and edits a line inline', async () => {
    render(ScriptScreen, { props: { episodeId: 'ep-1' } });
    const line = await screen.findByTestId('script-line-S1-L1');
    expect(line).toHaveTextContent('Alex');
    expect(line).toHaveTextContent('F1');
    expect(screen.getByTestId('fact-chip-F1')).toHaveAttribute('title', 'The Pharos stood for centuries.');

    await fireEvent.click(screen.getByRole('button', { name: /Lighthouses saved ships/ }));
    const editor = screen.getByTestId('script-line-editor');
    await fireEvent.input(editor, { target: { value: 'Lighthouses saved many ships.' } });
    await fireEvent.click(screen.getByTestId('line-save'));
    await vi.waitFor(() =>
      expect(invokeMock).toHaveBeenCalledWith('edit_line', {
        episodeId: 'ep-1',
        lineId: 'S1-L1',
        text: 'Lighthouses saved many ships.',
      }),
    );
    expect(await screen.findByText('Lighthouses saved many ships.')).toBeInTheDocument();
  });

  it('approves the script with the optional note and returns to the run', async () => {
    render(ScriptScreen, { props: { episodeId: 'ep-1' } });
    await fireEvent.click(await screen.findByTestId('approve-script'));
    await vi.waitFor(() => expect(invokeMock).toHaveBeenCalledWith('approve_script', { episodeId: 'ep-1', note: '' }));
    expect(window.location.hash).toBe('#/episodes/ep-1');
  });
});
