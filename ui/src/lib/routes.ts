// Routes editor logic: the draft of every job's chain, the step moves, and why a step would be passed over.

import type { Job, JobRouteView, ModelChoice, RoutePlan, RoutePlanView, RouteProviderView } from './backend/bindings';
import type { FieldErrors } from './backend/errors';

export type RouteDraft = Partial<Record<Job, ModelChoice[]>>;

function copy(chain: readonly ModelChoice[]): ModelChoice[] {
  return chain.map((c) => ({ ...c }));
}

export function draftFrom(jobs: readonly JobRouteView[], which: 'chain' | 'default_chain' = 'chain'): RouteDraft {
  return Object.fromEntries(jobs.map((j) => [j.job, copy(j[which])]));
}

export function planOf(draft: RouteDraft): RoutePlan {
  return { routes: Object.fromEntries(Object.entries(draft).map(([job, chain]) => [job, copy(chain ?? [])])) };
}

export function sameDraft(a: RouteDraft, b: RouteDraft): boolean {
  return JSON.stringify(planOf(a)) === JSON.stringify(planOf(b));
}

/** The chain with step `index` moved by `delta` (−1 up, +1 down); unchanged at either end. */
export function moveStep(chain: readonly ModelChoice[], index: number, delta: -1 | 1): ModelChoice[] {
  const next = copy(chain);
  const target = index + delta;
  const [step] = next.splice(index, 1);
  if (!step || target < 0 || target > chain.length - 1) return copy(chain);
  next.splice(target, 0, step);
  return next;
}

export function removeStep(chain: readonly ModelChoice[], index: number): ModelChoice[] {
  return copy(chain).filter((_, i) => i !== index);
}

/** Providers a job may use: speech providers for speech, text providers for everything else. */
export function providersFor(view: RoutePlanView, speech: boolean): RouteProviderView[] {
  return view.providers.filter((p) => (p.kind === 'speech') === speech);
}

/** Whether the price table can bill `model`: its own row, a dated snapshot of one, or the provider's `*` row. */
export function isPriced(provider: RouteProviderView, model: string): boolean {
  if (provider.any_model_priced) return true;
  return provider.models.some((m) => model === m.model || model.startsWith(`${m.model}-`));
}

/** Why this step would be passed over when the job runs, or null when it is ready. */
export function stepWarning(provider: RouteProviderView | undefined, model: string): string | null {
  if (!provider) return 'Showrunner does not know this provider.';
  if (provider.needs_key && !provider.has_key) {
    return 'No key yet: skipped until you add one in Providers & keys.';
  }
  if (model.trim() !== '' && !isPriced(provider, model.trim())) {
    return 'No price for this model: skipped, so a run never spends without knowing the cost.';
  }
  return null;
}

/** The backend's errors for one job, by step (`routes.write[1].model` → step 1), plus any for the job. */
export function stepErrors(fields: FieldErrors, job: Job): { steps: Record<number, string>; job: string | null } {
  const steps: Record<number, string> = {};
  let jobError: string | null = null;
  const prefix = `routes.${job}`;
  for (const [field, message] of Object.entries(fields)) {
    if (!field.startsWith(prefix)) continue;
    const match = /^\[(\d+)\]/.exec(field.slice(prefix.length));
    if (match) steps[Number(match[1])] = message;
    else jobError = message;
  }
  return { steps, job: jobError };
}
