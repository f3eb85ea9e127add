import '@testing-library/jest-dom/vitest';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import { open } from '@tauri-apps/plugin-dialog';
import NewEpisodeScreen from '../../screens/NewEpisodeScreen.svelte';
import { episode, show } from '../../test-utils/fixtures';
import { sourceName } from '../../lib/backend/sources';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn() }));

const invokeMock = vi.mocked(invoke);
const openMock = vi.mocked(open);
let startResult: () => unknown;

beforeEach(() => {
  invokeMock.mockReset();
  openMock.mockReset();
  window.location.hash = '';
  startResult = () => episode({ id: 'ep-new' });
  invokeMock.mockImplementation(async (command) => {
    if (command === 'list_shows') return [show('s1', 'Deep Dive')];
    if (command === 'start_episode') return startResult();
    return undefined;
  });
});

async function fillTopic() {
  await fireEvent.input(await screen.findByTestId('episode-topic'), { target: { value: 'Lighthouses' } });
}

describe('Sources panel on the New episode form', () => {
  it('adds picked files, a page and a note, and starts the episode with them', async () => {
    openMock.mockResolvedValue(['/home/ana/docs/keepers.md', '/home/ana/docs/signals.pdf']);
    render(NewEpisodeScreen);
    await fillTopic();
    await fireEvent.click(screen.getByTestId('source-add-files'));
    await vi.waitFor(() => expect(screen.getAllByTestId('source-row')).toHaveLength(2));
    expect(openMock).toHaveBeenCalledWith(expect.objectContaining({ multiple: true }));

    await fireEvent.input(screen.getByTestId('source-url'), { target: { value: 'not a url' } });
    await fireEvent.click(screen.getByTestId('source-add-url'));
    expect(screen.getByRole('alert')).toHaveTextContent('http:// or https://');
    expect(screen.getAllByTestId('source-row')).toHaveLength(2);
    await fireEvent.input(screen.getByTestId('source-url'), { target: { value: 'https://example.org/tides' } });
    await fireEvent.click(screen.getByTestId('source-add-url'));
    await fireEvent.input(screen.getByTestId('source-note'), { target: { value: 'Keepers logged every ship.' } });
    await fireEvent.click(screen.getByTestId('source-add-note'));

    const rows = screen.getAllByTestId('source-row');
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining('keepers.md'),
      expect.stringContaining('signals.pdf'),
      expect.stringContaining('https://example.org/tides'),
      expect.stringContaining('Note: Keepers logged every ship.'),
    ]);

    // Remove one; the others stay.
    await fireEvent.click(screen.getByRole('button', { name: 'Remove signals.pdf' }));
    expect(screen.getAllByTestId('source-row')).toHaveLength(3);

    await fireEvent.click(screen.getByTestId('episode-start'));
    await vi.waitFor(() =>
      expect(invokeMock).toHaveBeenCalledWith('start_episode', {
        input: expect.objectContaining({ topic: 'Lighthouses' }),
        sources: [
          { kind: 'file', path: '/home/ana/docs/keepers.md' },
          { kind: 'url', url: 'https://example.org/tides' },
          { kind: 'note', text: 'Keepers logged every ship.' },
        ],
      }),
    );
  });

  it("marks a refused source's row with its reason and keeps the others", async () => {
    openMock.mockResolvedValue(['/docs/keepers.md', '/docs/broken.pdf']);
    startResult = () => {
      throw {
        code: 'source_unreadable',
        message: 'broken.pdf: the file is not a PDF. Remove it or fix it, then start again; nothing was started.',
        details: {
          refused: [
            { name: 'broken.pdf', error: { code: 'source_unreadable', message: 'broken.pdf: the file is not a PDF', details: null } },
          ],
        },
      };
    };
    render(NewEpisodeScreen);
    await fillTopic();
    await fireEvent.click(screen.getByTestId('source-add-files'));
    await vi.waitFor(() => expect(screen.getAllByTestId('source-row')).toHaveLength(2));
    await fireEvent.click(screen.getByTestId('episode-start'));

    const refusal = await screen.findByTestId('source-refusal');
    expect(refusal).toHaveTextContent('broken.pdf: the file is not a PDF');
    const rows = screen.getAllByTestId('source-row');
    expect(rows).toHaveLength(2);
    const [good, bad] = rows as [HTMLElement, HTMLElement];
    expect(within(bad).getByTestId('source-refusal')).toBeInTheDocument();
    expect(within(good).queryByTestId('source-refusal')).not.toBeInTheDocument();
    expect(good).toHaveTextContent('Read at start');
    expect(screen.getByTestId('episode-error')).toHaveTextContent('broken.pdf');
    expect(window.location.hash).not.toBe('#/episodes/ep-new');
  });

  it('names sources as the backend does', () => {
    expect(sourceName({ kind: 'file', path: 'C:\\docs\\a.pdf' })).toBe('a.pdf');
    expect(sourceName({ kind: 'note', text: '\n  First line\nsecond' })).toBe('Note: First line');
    expect(sourceName({ kind: 'note', text: 'x'.repeat(70) })).toBe(`Note: ${'x'.repeat(60)}…`);
  });
});
