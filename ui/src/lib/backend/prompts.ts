// The Prompts screen's commands (src-tauri/src/commands/prompts.rs).

import type { PromptDiff, PromptSave, PromptTemplateView } from './bindings';
import { call } from './call';

export const listPrompts = (showId: string) => call<PromptTemplateView[]>('list_prompts', { showId });
export const promptHistory = (showId: string, templateId: string) =>
  call<PromptTemplateView[]>('prompt_history', { showId, templateId });
export const diffPrompt = (showId: string, templateId: string, version: number | null) =>
  call<PromptDiff>('diff_prompt', { showId, templateId, version });
/** Rejects with `template_invalid` (details name the field and the template's line) and saves nothing. */
export const savePrompt = (showId: string, save: PromptSave) => call<PromptTemplateView>('save_prompt', { showId, save });
export const rollbackPrompt = (showId: string, templateId: string, version: number) =>
  call<PromptTemplateView>('rollback_prompt', { showId, templateId, version });
