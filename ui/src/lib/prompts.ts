// What the Prompts screen shows about a template, kept out of the component so it can be tested alone.

import type { PromptTemplateView } from './backend/bindings';

const STAGE_LABELS: Record<string, string> = {
  'research.discover': 'Research: questions',
  'research.deep_dive': 'Research: deep dive',
  'research.synthesize': 'Research: facts',
  plan: 'Plan',
  'script.write': 'Script: write',
  'script.write_segment': 'Script: write one segment',
  'script.brand_score': 'Script: brand score',
  'script.evaluate': 'Script: evaluate',
  'script.polish': 'Script: polish',
  package: 'Show notes',
};

export function stageLabel(templateId: string): string {
  return STAGE_LABELS[templateId] ?? templateId;
}

/** "v2 · override by Ana" / "v1 · shipped". */
export function versionLabel(t: PromptTemplateView): string {
  return t.source === 'shipped' ? `v${t.version} · shipped` : `v${t.version} · override by ${t.author}`;
}
