import '@testing-library/jest-dom/vitest';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import StandingSources from '../sources/StandingSources.svelte';
import type { ProducerSource } from '../../lib/backend/bindings';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn() }));

const invokeMock = vi.mocked(invoke);

const stored = (id: string, name: string): ProducerSource => ({
  id,
  kind: 'note',
  name,
  origin: '',
  format: 'note',
  fetched_at_ms: null,
  added_at_ms: 1,
  chars: 10,
  sections: 1,
  chunks: 1,
});

beforeEach(() => invokeMock.mockReset());

describe('StandingSources', () => {
  it('lists the show’s sources only when opened, adds a note, and names a refusal', async () => {
    invokeMock.mockImplementation(async (command) => {
      if (command === 'list_show_sources') return [stored('a', 'keepers.md')];
      if (command === 'add_show_sources')
        return {
          added: [stored('b', 'Note: Keepers logged ships.')],
          refused: [{ name: 'x.pdf', error: { code: 'source_unreadable', message: 'x.pdf: not a PDF', details: null } }],
        };
      return null;
    });
    render(StandingSources, { showId: 's1' });
    expect(invokeMock).not.toHaveBeenCalled();
    const details = screen.getByTestId('standing-sources') as HTMLDetailsElement;
    details.open = true;
    await fireEvent(details, new Event('toggle'));
    await vi.waitFor(() => expect(screen.getAllByTestId('standing-source')).toHaveLength(1));
    expect(invokeMock).toHaveBeenCalledWith('list_show_sources', { showId: 's1' });

    await fireEvent.input(screen.getByLabelText('Standing note'), { target: { value: 'Keepers logged ships.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    await vi.waitFor(() => expect(screen.getAllByTestId('standing-source')).toHaveLength(2));
    expect(invokeMock).toHaveBeenCalledWith('add_show_sources', {
      showId: 's1',
      inputs: [{ kind: 'note', text: 'Keepers logged ships.' }],
    });
    expect(screen.getByTestId('standing-refusal')).toHaveTextContent('x.pdf: not a PDF');
  });
});
