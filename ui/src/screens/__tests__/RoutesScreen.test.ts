import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import RoutesScreen from '../RoutesScreen.svelte';
import { apiError } from '../../test-utils/tauri';
import { routePlanView } from '../../test-utils/producer';
import type { RoutePlan } from '../../lib/backend/bindings';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);

beforeEach(() => {
  invokeMock.mockReset();
});

function savedPlan(): RoutePlan {
  const call = invokeMock.mock.calls.find(([command]) => command === 'save_route_plan');
  return (call?.[1] as { plan: RoutePlan }).plan;
}

describe('RoutesScreen', () => {
  it('lists each job’s steps in order, with the offline crew fixed last and unready steps explained', async () => {
    invokeMock.mockResolvedValueOnce(routePlanView());
    render(RoutesScreen);
    const write = await screen.findByTestId('route-write');
    expect(within(write).getByTestId('route-step-write-0')).toHaveTextContent('Anthropic (Claude) · claude-opus-4-5');
    expect(within(write).getByTestId('route-step-write-0')).toHaveTextContent('first choice');
    expect(within(write).getByTestId('route-offline-write')).toHaveTextContent('Rehearsal (offline)');
    expect(within(write).getByTestId('route-offline-write')).toHaveTextContent('always last');
    expect(screen.getByTestId('route-offline-speak')).toHaveTextContent('System voice (offline)');
    expect(screen.getByTestId('routes-save')).toBeDisabled();
  });

  it('reorders, adds and removes steps, then saves the whole plan', async () => {
    invokeMock.mockResolvedValueOnce(routePlanView());
    render(RoutesScreen);
    await fireEvent.click(await screen.findByTestId('route-up-write-1'));
    expect(screen.getByTestId('route-step-write-0')).toHaveTextContent('claude-sonnet-4-5');
    expect(screen.getByTestId('routes-unsaved')).toBeInTheDocument();

    await fireEvent.change(screen.getByTestId('route-add-provider-write'), { target: { value: 'openai' } });
    expect(screen.getByTestId('route-add-model-write')).toHaveValue('gpt-4.1');
    await fireEvent.click(screen.getByTestId('route-add-write'));
    expect(screen.getByTestId('route-step-write-2')).toHaveTextContent('OpenAI · gpt-4.1');
    expect(screen.getByTestId('route-step-write-2')).toHaveTextContent('No key yet');
    await fireEvent.click(screen.getByTestId('route-remove-write-1'));

    const saved = routePlanView();
    invokeMock.mockResolvedValueOnce(saved);
    await fireEvent.click(screen.getByTestId('routes-save'));
    expect(savedPlan().routes.write).toEqual([
      { provider: 'anthropic', model: 'claude-sonnet-4-5' },
      { provider: 'openai', model: 'gpt-4.1' },
    ]);
    expect(savedPlan().routes.speak).toEqual([]);
  });

  it('puts a refused step’s error on that step and keeps the draft', async () => {
    invokeMock.mockResolvedValueOnce(routePlanView());
    render(RoutesScreen);
    await fireEvent.click(await screen.findByTestId('route-down-write-0'));
    invokeMock.mockRejectedValueOnce(
      apiError('invalid_input', 'Script writing: a model name is empty', {
        'routes.write[1].model': 'Script writing: a model name is empty',
      }),
    );
    await fireEvent.click(screen.getByTestId('routes-save'));
    const step = await screen.findByTestId('route-step-write-1');
    expect(within(step).getByRole('alert')).toHaveTextContent('Script writing: a model name is empty');
    expect(screen.getByTestId('route-step-write-0')).toHaveTextContent('claude-sonnet-4-5');
    expect(screen.getByTestId('routes-unsaved')).toBeInTheDocument();
  });

  it('resets every job to the defaults without saving until asked', async () => {
    invokeMock.mockResolvedValueOnce(routePlanView());
    render(RoutesScreen);
    expect(await screen.findByTestId('route-offline-speak')).toBeInTheDocument();
    expect(screen.queryByTestId('route-step-speak-0')).not.toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('routes-reset'));
    expect(screen.getByTestId('route-step-speak-0')).toHaveTextContent('ElevenLabs · eleven_flash_v2_5');
    expect(invokeMock).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('routes-save')).toBeEnabled();
  });

  it('refuses to add a step without a model, beside the model field', async () => {
    invokeMock.mockResolvedValueOnce(routePlanView());
    render(RoutesScreen);
    const model = await screen.findByTestId('route-add-model-write');
    await fireEvent.input(model, { target: { value: '  ' } });
    await fireEvent.click(screen.getByTestId('route-add-write'));
    expect(model).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText(/Enter a model name/)).toBeInTheDocument();
    expect(screen.queryByTestId('route-step-write-2')).not.toBeInTheDocument();
  });
});
