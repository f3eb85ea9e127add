import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import ShowForm from '../shows/ShowForm.svelte';
import { apiError } from '../../test-utils/tauri';
import { brand, show } from '../../test-utils/fixtures';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);

beforeEach(() => invokeMock.mockReset());

function renderForm(overrides: Partial<{ showId: string | null; starterName: string | null }> = {}) {
  const onSaved = vi.fn();
  render(ShowForm, {
    props: { initial: brand('New show'), showId: null, starterName: 'New show', onSaved, onCancel: vi.fn(), ...overrides },
  });
  return { onSaved };
}

describe('ShowForm', () => {
  it("shows the backend's duplicate-name error beside the name field and keeps what was typed", async () => {
    invokeMock.mockRejectedValueOnce(
      apiError('duplicate', "A show called 'E2E Weekly' already exists.", {
        name: "A show called 'E2E Weekly' already exists.",
      }),
    );
    const { onSaved } = renderForm();
    const name = screen.getByTestId('show-name');
    await fireEvent.input(name, { target: { value: 'E2E Weekly' } });
    await fireEvent.click(screen.getByTestId('show-save'));

    const message = await screen.findByText("A show called 'E2E Weekly' already exists.", { selector: '.field-error' });
    expect(message.id).toBe('show-name-error');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAttribute('aria-describedby', 'show-name-error');
    expect(name).toHaveValue('E2E Weekly');
    expect(screen.getByRole('alert')).toHaveTextContent('Some fields need attention');
    expect(onSaved).not.toHaveBeenCalled();
    expect(invokeMock).toHaveBeenCalledWith('create_show', { brand: expect.objectContaining({ name: 'E2E Weekly' }) });
  });

  it('checks the 1–180 minute range before calling the backend', async () => {
    renderForm();
    await fireEvent.input(screen.getByTestId('show-minutes'), { target: { value: '181' } });
    await fireEvent.click(screen.getByTestId('show-save'));
    expect(await screen.findByText('Target length must be between 1 and 180 minutes.')).toBeInTheDocument();
    expect(invokeMock).not.toHaveBeenCalled();
  });

  it('lets the starter intro and outro follow the name until they are edited', async () => {
    renderForm();
    await fireEvent.input(screen.getByTestId('show-name'), { target: { value: 'Tide Talk' } });
    expect(screen.getByLabelText(/Intro line/)).toHaveValue('Welcome to Tide Talk.');
    expect(screen.getByLabelText(/Outro line/)).toHaveValue('Thanks for listening to Tide Talk.');
  });

  it('saves changes to an existing show with update_show and reports the saved show', async () => {
    const saved = show('show-9', 'Renamed');
    invokeMock.mockResolvedValueOnce(saved);
    const { onSaved } = renderForm({ showId: 'show-9', starterName: null });
    await fireEvent.input(screen.getByTestId('show-name'), { target: { value: 'Renamed' } });
    await fireEvent.click(screen.getByTestId('show-save'));
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalledWith(saved));
    expect(invokeMock).toHaveBeenCalledWith('update_show', {
      showId: 'show-9',
      brand: expect.objectContaining({ name: 'Renamed' }),
    });
  });
});
