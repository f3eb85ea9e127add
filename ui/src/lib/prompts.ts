// What the Prompts screen shows about a template, kept out of the component so it can be tested alone.

import { STAGE, TASK, type PromptTemplateView } from './backend/bindings';

const STAGE_LABELS: Record<string, string> = {
  [STAGE.RESEARCH_DISCOVER]: 'Research: questions',
  [STAGE.RESEARCH_DEEP_DIVE]: 'Research: deep dive',
  [STAGE.RESEARCH_SYNTHESIZE]: 'Research: facts',
  [STAGE.PLAN]: 'Plan',
  [STAGE.SCRIPT_WRITE]: 'Script: write',
  [TASK.WRITE_SEGMENT]: 'Script: write one segment',
  [TASK.BRAND_SCORE]: 'Script: brand score',
  [STAGE.SCRIPT_EVALUATE]: 'Script: evaluate',
  [STAGE.SCRIPT_POLISH]: 'Script: polish',
  [STAGE.PACKAGE]: 'Show notes',
};

export function stageLabel(templateId: string): string {
  return STAGE_LABELS[templateId] ?? templateId;
}

/** "v2 · override by Ana" / "v1 · shipped". */
export function versionLabel(t: PromptTemplateView): string {
  return t.source === 'shipped' ? `v${t.version} · shipped` : `v${t.version} · override by ${t.author}`;
}
