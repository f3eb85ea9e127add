import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import HaltNotice from '../run/HaltNotice.svelte';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);
beforeEach(() => invokeMock.mockReset());

describe('A run the storage stopped', () => {
  it('says the disk is full and resumes the run from the notice', async () => {
    render(HaltNotice, {
      props: {
        runId: 'run-1',
        halt: {
          code: 'disk_full',
          message: 'The run stopped at script.write: The disk is full. Free some disk space, then resume the run.',
          stage: 'script.write',
        },
      },
    });
    expect(screen.getByTestId('run-halt')).toHaveTextContent('The disk is full.');
    expect(screen.getByTestId('run-halt')).toHaveTextContent('Free some disk space, then resume the run.');
    invokeMock.mockResolvedValueOnce(undefined);
    await fireEvent.click(screen.getByTestId('resume-run'));
    expect(invokeMock).toHaveBeenCalledWith('resume_run', { runId: 'run-1' });
  });
});
