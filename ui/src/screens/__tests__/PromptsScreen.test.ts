import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { invoke } from '@tauri-apps/api/core';
import PromptsScreen from '../PromptsScreen.svelte';
import { apiError } from '../../test-utils/tauri';
import { brand } from '../../test-utils/fixtures';
import type { PromptDiff, PromptTemplateView, Show } from '../../lib/backend/bindings';

vi.mock('@tauri-apps/api/core', async () => {
  const { FakeChannel } = await import('../../test-utils/tauri');
  return { invoke: vi.fn(), Channel: FakeChannel };
});

const invokeMock = vi.mocked(invoke);

const SHIPPED = 'Stage: {{ task }} (prompt template v{{ version }})\nPlan the episode.\n\nInputs:\n{{ inputs }}';
const OVERRIDE = 'Stage: {{ task }} (prompt template v{{ version }})\nPlan it in three acts.\n\nInputs:\n{{ inputs }}';

const show: Show = { id: 's1', brand: brand(), created_at_ms: 0, updated_at_ms: 0 };

function template(overrides: Partial<PromptTemplateView> = {}): PromptTemplateView {
  return {
    template_id: 'plan',
    version: 1,
    source: 'shipped',
    author: 'Showrunner',
    note: 'shipped default',
    created_at_ms: null,
    content: SHIPPED,
    current: true,
    ...overrides,
  };
}

const override = template({ version: 2, source: 'override', author: 'producer', note: 'three acts', content: OVERRIDE });

const diff: PromptDiff = {
  template_id: 'plan',
  version: 2,
  same_as_shipped: false,
  lines: [
    { change: 'same', text: 'Stage: {{ task }} (prompt template v{{ version }})' },
    { change: 'removed', text: 'Plan the episode.' },
    { change: 'added', text: 'Plan it in three acts.' },
  ],
};

/** A fake backend: the show's one template, its history and diff, following saves and rollbacks. */
function backend(start: PromptTemplateView[], saveResult: () => PromptTemplateView | Error) {
  let history = start;
  invokeMock.mockImplementation(async (command: string, args?: unknown) => {
    const current = history[history.length - 1] ?? template();
    switch (command) {
      case 'list_shows':
        return [show];
      case 'list_prompts':
        return [current];
      case 'prompt_history':
        return history.map((v) => ({ ...v, current: v === current }));
      case 'diff_prompt':
        return current.content === SHIPPED ? { ...diff, lines: [], same_as_shipped: true } : diff;
      case 'save_prompt':
      case 'rollback_prompt': {
        const result = saveResult();
        if (result instanceof Error) throw (result as Error & { api: unknown }).api;
        history = [...history, result];
        return result;
      }
    }
    throw new Error(`unexpected ${command} ${JSON.stringify(args)}`);
  });
}

function refusal(api: unknown): Error {
  return Object.assign(new Error('refused'), { api });
}

beforeEach(() => {
  invokeMock.mockReset();
});

describe('PromptsScreen', () => {
  it('lists the stages with their version and shows the shipped template and that it is unchanged', async () => {
    backend([template()], () => override);
    render(PromptsScreen);
    const stage = await screen.findByTestId('prompt-stage-plan');
    expect(stage).toHaveTextContent('Plan');
    expect(stage).toHaveTextContent('v1 · shipped');
    expect(screen.getByTestId('prompt-content')).toHaveValue(SHIPPED);
    expect(await screen.findByTestId('prompt-diff-same')).toHaveTextContent('Same as the shipped default.');
    expect(screen.getByTestId('prompt-save')).toBeDisabled();
  });

  it('saves an edit as a new version, then shows its diff against the shipped default and its history', async () => {
    backend([template()], () => override);
    render(PromptsScreen);
    const editor = await screen.findByTestId('prompt-content');
    await fireEvent.input(editor, { target: { value: OVERRIDE } });
    await fireEvent.input(screen.getByTestId('prompt-note'), { target: { value: 'three acts' } });
    await fireEvent.click(screen.getByTestId('prompt-save'));
    expect(invokeMock).toHaveBeenCalledWith('save_prompt', {
      showId: 's1',
      save: { template_id: 'plan', content: OVERRIDE, note: 'three acts', author: '' },
    });
    expect(await screen.findByTestId('prompt-current')).toHaveTextContent('v2 · override by producer');
    const shown = await screen.findByTestId('prompt-diff');
    expect(shown.querySelector('[data-change="added"]')).toHaveTextContent('+ Plan it in three acts.');
    expect(shown.querySelector('[data-change="removed"]')).toHaveTextContent('- Plan the episode.');
    const history = screen.getByTestId('prompt-history');
    expect(within(history).getByTestId('prompt-version-2')).toHaveTextContent('in use');
    expect(within(history).getByTestId('prompt-rollback-1')).toBeInTheDocument();
    expect(screen.getByTestId('prompt-stage-plan')).toHaveTextContent('v2 · override by producer');
  });

  it('shows a template the backend refuses beside the field, keeps what was typed and saves nothing', async () => {
    const message = 'The plan template cannot be used (line 3): syntax error: unexpected end of input';
    backend([template()], () => refusal(apiError('template_invalid', message, { content: message })));
    render(PromptsScreen);
    const editor = await screen.findByTestId('prompt-content');
    await fireEvent.input(editor, { target: { value: 'Stage: {{ task }}\n\n{% if %}' } });
    await fireEvent.input(screen.getByTestId('prompt-note'), { target: { value: 'broken' } });
    await fireEvent.click(screen.getByTestId('prompt-save'));
    expect(await screen.findByText(message)).toHaveAttribute('id', 'prompt-content-error');
    expect(editor).toHaveAttribute('aria-invalid', 'true');
    expect(editor).toHaveValue('Stage: {{ task }}\n\n{% if %}');
    expect(screen.getByTestId('prompt-current')).toHaveTextContent('v1 · shipped');
  });

  it('rolls back to an old version as a new one', async () => {
    const rolled = template({ version: 3, source: 'override', author: 'producer', note: 'rollback to v1' });
    backend([template({ current: false }), override], () => rolled);
    render(PromptsScreen);
    await fireEvent.click(await screen.findByTestId('prompt-rollback-1'));
    expect(invokeMock).toHaveBeenCalledWith('rollback_prompt', { showId: 's1', templateId: 'plan', version: 1 });
    expect(await screen.findByTestId('prompt-current')).toHaveTextContent('v3 · override by producer — rollback to v1');
    expect(screen.getByTestId('prompt-content')).toHaveValue(SHIPPED);
    expect(await screen.findByTestId('prompt-diff-same')).toBeInTheDocument();
  });
});
