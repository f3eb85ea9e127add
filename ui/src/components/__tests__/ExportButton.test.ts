import '@testing-library/jest-dom/vitest';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import { open } from '@tauri-apps/plugin-dialog';
import { revealItemInDir } from '@tauri-apps/plugin-opener';
import ExportButton from '../release/ExportButton.svelte';
import type { ExportedPackage } from '../../lib/backend/bindings';
import { apiError } from '../../test-utils/tauri';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn() }));
vi.mock('@tauri-apps/plugin-opener', () => ({ revealItemInDir: vi.fn() }));

const invokeMock = vi.mocked(invoke);
const openMock = vi.mocked(open);
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

beforeEach(() => {
  invokeMock.mockReset();
  openMock.mockReset();
  revealMock.mockReset();
  revealMock.mockResolvedValue(undefined);
});

describe('ExportButton', () => {
  it('asks for a folder, exports into it and reveals the package', async () => {
    openMock.mockResolvedValue('/home/ana/Podcasts');
    invokeMock.mockResolvedValue(pkg);
    render(ExportButton, { episodeId: 'e1', released: true });
    await fireEvent.click(screen.getByRole('button', { name: 'Export…' }));
    expect(await screen.findByTestId('export-done')).toHaveTextContent('2 files in /home/ana/Podcasts/lights-0193a5b2');
    expect(openMock).toHaveBeenCalledWith(expect.objectContaining({ directory: true, multiple: false }));
    expect(invokeMock).toHaveBeenCalledWith('export_episode', {
      episodeId: 'e1',
      parent: '/home/ana/Podcasts',
      draft: false,
    });
    expect(revealMock).toHaveBeenCalledWith(pkg.folder);
  });

  it('exports a draft before release and says so', async () => {
    openMock.mockResolvedValue('/tmp');
    invokeMock.mockResolvedValue({ ...pkg, draft: true });
    render(ExportButton, { episodeId: 'e1', released: false });
    expect(screen.getByText(/every file will be marked DRAFT/)).toBeInTheDocument();
    await fireEvent.click(screen.getByRole('button', { name: 'Export draft…' }));
    await screen.findByTestId('export-done');
    expect(invokeMock).toHaveBeenCalledWith('export_episode', { episodeId: 'e1', parent: '/tmp', draft: true });
  });

  it('does nothing when the picker is cancelled', async () => {
    openMock.mockResolvedValue(null);
    render(ExportButton, { episodeId: 'e1', released: true });
    await fireEvent.click(screen.getByRole('button', { name: 'Export…' }));
    await Promise.resolve();
    expect(invokeMock).not.toHaveBeenCalled();
    expect(screen.queryByTestId('export-done')).not.toBeInTheDocument();
  });

  it('shows a folder that cannot be written as an error and stays ready to retry', async () => {
    openMock.mockResolvedValue('/read-only');
    invokeMock.mockRejectedValue(apiError('target_not_writable', '/read-only/x cannot be written: Read-only file system'));
    render(ExportButton, { episodeId: 'e1', released: true });
    await fireEvent.click(screen.getByRole('button', { name: 'Export…' }));
    expect(await screen.findByTestId('export-error')).toHaveTextContent('cannot be written');
    expect(screen.getByRole('button', { name: 'Export…' })).toBeEnabled();
    expect(revealMock).not.toHaveBeenCalled();
  });
});
