import '@testing-library/jest-dom/vitest';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import { revealItemInDir } from '@tauri-apps/plugin-opener';
import ExportButton from '../release/ExportButton.svelte';
import type { ExportedPackage } from '../../lib/backend/bindings';
import { apiError } from '../../test-utils/tauri';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/plugin-opener', () => ({ revealItemInDir: vi.fn() }));

const invokeMock = vi.mocked(invoke);
const revealMock = vi.mocked(revealItemInDir);

const pkg: ExportedPackage = {
  folder: '/home/ana/Podcasts/lights-0193a5b2',
  draft: false,
  files: [
    { name: 'episode.mp3', bytes: 1000 },
    { name: 'item.xml', bytes: 900 },
  ],
  feed: null,
};

/** The shell answers the folder picker with `folder` and the export with `exported`. */
function backend(folder: string | null, exported: () => Promise<unknown>) {
  invokeMock.mockImplementation((command) =>
    command === 'pick_export_folder' ? Promise.resolve(folder) : exported(),
  );
}

beforeEach(() => {
  invokeMock.mockReset();
  revealMock.mockReset();
  revealMock.mockResolvedValue(undefined);
});

describe('ExportButton', () => {
  it('asks for a folder, exports into it and reveals the package', async () => {
    backend('/home/ana/Podcasts', () => Promise.resolve(pkg));
    render(ExportButton, { episodeId: 'e1', released: true });
    await fireEvent.click(screen.getByRole('button', { name: 'Export…' }));
    expect(await screen.findByTestId('export-done')).toHaveTextContent('2 files in /home/ana/Podcasts/lights-0193a5b2');
    expect(invokeMock).toHaveBeenCalledWith('pick_export_folder', { title: 'Export the episode into…' });
    expect(invokeMock).toHaveBeenCalledWith('export_episode', {
      episodeId: 'e1',
      parent: '/home/ana/Podcasts',
      draft: false,
    });
    expect(revealMock).toHaveBeenCalledWith(pkg.folder);
  });

  it('exports a draft before release and says so', async () => {
    backend('/tmp', () => Promise.resolve({ ...pkg, draft: true }));
    render(ExportButton, { episodeId: 'e1', released: false });
    expect(screen.getByText(/every file will be marked DRAFT/)).toBeInTheDocument();
    await fireEvent.click(screen.getByRole('button', { name: 'Export draft…' }));
    await screen.findByTestId('export-done');
    expect(invokeMock).toHaveBeenCalledWith('export_episode', { episodeId: 'e1', parent: '/tmp', draft: true });
  });

  it('does nothing when the picker is cancelled', async () => {
    backend(null, () => Promise.resolve(pkg));
    render(ExportButton, { episodeId: 'e1', released: true });
    await fireEvent.click(screen.getByRole('button', { name: 'Export…' }));
    await Promise.resolve();
    expect(invokeMock).toHaveBeenCalledTimes(1);
    expect(invokeMock).not.toHaveBeenCalledWith('export_episode', expect.anything());
    expect(screen.queryByTestId('export-done')).not.toBeInTheDocument();
  });

  it('shows a folder that cannot be written as an error and stays ready to retry', async () => {
    backend('/read-only', () =>
      Promise.reject(apiError('target_not_writable', '/read-only/x cannot be written: Read-only file system')),
    );
    render(ExportButton, { episodeId: 'e1', released: true });
    await fireEvent.click(screen.getByRole('button', { name: 'Export…' }));
    expect(await screen.findByTestId('export-error')).toHaveTextContent('cannot be written');
    expect(screen.getByRole('button', { name: 'Export…' })).toBeEnabled();
    expect(revealMock).not.toHaveBeenCalled();
  });
});
