import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import NewEpisodeScreen from '../NewEpisodeScreen.svelte';
import { apiError } from '../../test-utils/tauri';
import { episode, show } from '../../test-utils/fixtures';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);
let startResult: () => unknown;

beforeEach(() => {
  invokeMock.mockReset();
  startResult = () => episode({ id: 'ep-new' });
  invokeMock.mockImplementation(async (command) => {
    if (command === 'list_shows') return [show('s1', 'Deep Dive'), show('s2', 'E2E Weekly')];
    if (command === 'start_episode') return startResult();
    return undefined;
  });
});

describe('NewEpisodeScreen', () => {
  it('starts an episode with the defaults, the budget in micro-dollars, and opens its run', async () => {
    render(NewEpisodeScreen);
    const select = await screen.findByTestId('episode-show');
    expect(screen.getByRole('option', { name: 'E2E Weekly' })).toBeInTheDocument();
    expect(screen.getByTestId('episode-minutes')).toHaveValue(25);
    expect(screen.getByTestId('episode-budget')).toHaveValue('33.25');

    await fireEvent.input(screen.getByTestId('episode-topic'), { target: { value: 'How lighthouses kept ships safe' } });
    await fireEvent.change(select, { target: { value: 's2' } });
    await fireEvent.input(screen.getByTestId('episode-minutes'), { target: { value: '2' } });
    await fireEvent.click(screen.getByTestId('episode-start'));

    await vi.waitFor(() =>
      expect(invokeMock).toHaveBeenCalledWith('start_episode', {
        input: {
          show_id: 's2',
          topic: 'How lighthouses kept ships safe',
          target_minutes: 2,
          budget_cap: 33_250_000,
          format: 'deep_dive',
          language: 'en',
        },
      }),
    );
    await vi.waitFor(() => expect(window.location.hash).toBe('#/episodes/ep-new'));
  });

  it("starts in the show's language and sends the language picked", async () => {
    const english = show('s1', 'Tides');
    const german = show('s2', 'Gezeiten');
    german.brand.default_language = 'de';
    invokeMock.mockImplementation(async (command) => {
      if (command === 'list_shows') return [english, german];
      if (command === 'start_episode') return startResult();
      return undefined;
    });
    render(NewEpisodeScreen);
    const language = (await screen.findByTestId('episode-language')) as HTMLSelectElement;
    await vi.waitFor(() => expect(language.value).toBe('en'));
    expect([...language.options].map((o) => o.textContent)).toEqual([
      'English',
      'German (Deutsch)',
      'French (Français)',
      'Spanish (Español)',
      'Russian (Русский)',
    ]);
    await fireEvent.change(screen.getByTestId('episode-show'), { target: { value: 's2' } });
    await vi.waitFor(() => expect(language.value).toBe('de'));
    await fireEvent.change(language, { target: { value: 'ru' } });
    await fireEvent.input(screen.getByTestId('episode-topic'), { target: { value: 'Почему меняются приливы' } });
    await fireEvent.click(screen.getByTestId('episode-start'));
    await vi.waitFor(() =>
      expect(invokeMock).toHaveBeenCalledWith('start_episode', {
        input: expect.objectContaining({ show_id: 's2', language: 'ru', topic: 'Почему меняются приливы' }),
      }),
    );
  });

  it("starts in the show's default format, sends the format picked, and keeps a brief to its length", async () => {
    const solo = show('s1', 'One Voice');
    solo.brand.hosts = solo.brand.hosts.slice(0, 1);
    const debates = show('s2', 'Both Sides');
    debates.brand.default_format = 'debate';
    invokeMock.mockImplementation(async (command) => {
      if (command === 'list_shows') return [solo, debates];
      if (command === 'start_episode') return startResult();
      return undefined;
    });
    render(NewEpisodeScreen);
    const select = await screen.findByTestId('episode-show');
    // A one-host show cannot make an interview or a debate: they are shown, with why, and not offered.
    expect(screen.getByTestId('episode-format-deep_dive')).toBeChecked();
    expect(screen.getByTestId('episode-format-debate')).toBeDisabled();
    expect(screen.getByTestId('episode-format')).toHaveTextContent('Needs 2 hosts; this show has 1.');

    await fireEvent.change(select, { target: { value: 's2' } });
    expect(screen.getByTestId('episode-format-debate')).toBeChecked();
    expect(screen.getByTestId('episode-format-debate')).not.toBeDisabled();

    await fireEvent.click(screen.getByTestId('episode-format-brief'));
    expect(screen.getByTestId('episode-minutes')).toHaveValue(4);
    await fireEvent.input(screen.getByTestId('episode-minutes'), { target: { value: '9' } });
    await fireEvent.input(screen.getByTestId('episode-topic'), { target: { value: 'Tides' } });
    await fireEvent.click(screen.getByTestId('episode-start'));
    expect(await screen.findByText(/A brief runs 2 to 5 minutes, not 9/)).toHaveAttribute('id', 'episode-format-error');
    expect(invokeMock).not.toHaveBeenCalledWith('start_episode', expect.anything());

    await fireEvent.input(screen.getByTestId('episode-minutes'), { target: { value: '3' } });
    await fireEvent.click(screen.getByTestId('episode-start'));
    await vi.waitFor(() =>
      expect(invokeMock).toHaveBeenCalledWith('start_episode', {
        input: {
          show_id: 's2',
          topic: 'Tides',
          target_minutes: 3,
          budget_cap: 33_250_000,
          format: 'brief',
          language: 'en',
        },
      }),
    );
  });

  it('shows a missing speech engine prominently', async () => {
    startResult = () => {
      throw apiError('speech_engine_missing', 'No speech engine found: install espeak-ng.');
    };
    render(NewEpisodeScreen);
    await fireEvent.input(await screen.findByTestId('episode-topic'), { target: { value: 'Tides' } });
    await fireEvent.click(screen.getByTestId('episode-start'));
    const alert = await screen.findByTestId('episode-error');
    expect(alert).toHaveAttribute('role', 'alert');
    expect(alert).toHaveTextContent('No speech engine found: install espeak-ng.');
  });

  it('puts backend field errors beside their fields', async () => {
    startResult = () => {
      throw apiError('invalid_input', 'The budget must be at most $10,000.', {
        budget_cap: 'The budget must be at most $10,000.',
      });
    };
    render(NewEpisodeScreen);
    await fireEvent.input(await screen.findByTestId('episode-topic'), { target: { value: 'Tides' } });
    await fireEvent.click(screen.getByTestId('episode-start'));
    const message = await screen.findByText('The budget must be at most $10,000.');
    expect(message.id).toBe('episode-budget-error');
    expect(screen.queryByTestId('episode-error')).not.toBeInTheDocument();
  });
});
