import { describe, expect, it } from 'vitest';
import { draftFrom, isPriced, moveStep, planOf, removeStep, sameDraft, stepErrors, stepWarning } from './routes';
import { provider, routePlanView } from '../test-utils/producer';

const a = { provider: 'anthropic', model: 'claude-opus-4-5' };
const b = { provider: 'anthropic', model: 'claude-sonnet-4-5' };
const c = { provider: 'openai', model: 'gpt-4.1' };

describe('routes', () => {
  it('moves a step up or down and leaves the ends alone', () => {
    expect(moveStep([a, b, c], 2, -1)).toEqual([a, c, b]);
    expect(moveStep([a, b, c], 0, 1)).toEqual([b, a, c]);
    expect(moveStep([a, b, c], 0, -1)).toEqual([a, b, c]);
    expect(moveStep([a, b, c], 2, 1)).toEqual([a, b, c]);
    expect(removeStep([a, b, c], 1)).toEqual([a, c]);
  });

  it('edits a copy: the saved plan is untouched until Save', () => {
    const view = routePlanView();
    const draft = draftFrom(view.jobs);
    draft.write = moveStep(draft.write ?? [], 1, -1);
    expect(view.jobs[0]?.chain[0]).toEqual(a);
    expect(sameDraft(draft, draftFrom(view.jobs))).toBe(false);
    expect(planOf(draftFrom(view.jobs, 'default_chain')).routes.speak).toEqual([
      { provider: 'elevenlabs', model: 'eleven_flash_v2_5' },
    ]);
  });

  it('says why a step would be passed over', () => {
    const anthropic = provider('anthropic', { models: [{ model: 'claude-sonnet-4', label: null }] });
    expect(stepWarning(anthropic, 'claude-sonnet-4')).toBeNull();
    expect(isPriced(anthropic, 'claude-sonnet-4-20250514')).toBe(true);
    expect(stepWarning(anthropic, 'claude-opus-9')).toMatch(/No price for this model/);
    expect(stepWarning(provider('openai', { has_key: false }), 'gpt-4.1')).toMatch(/No key yet/);
    expect(stepWarning(provider('ollama', { needs_key: false, any_model_priced: true }), 'llama3.1:8b')).toBeNull();
    expect(stepWarning(undefined, 'x')).toMatch(/does not know/);
  });

  it('puts each backend error on its step', () => {
    const fields = {
      'routes.write[1].provider': "Script writing: 'elevenlabs' is a speech provider and cannot write text",
      'routes.speak[0].model': 'Speech: a model name is empty',
    };
    expect(stepErrors(fields, 'write')).toEqual({
      steps: { 1: "Script writing: 'elevenlabs' is a speech provider and cannot write text" },
      job: null,
    });
    expect(stepErrors(fields, 'research')).toEqual({ steps: {}, job: null });
  });
});
