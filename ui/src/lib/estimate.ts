// The pre-run estimate beside the New episode form and each queued row: asked for only after the producer
// pauses typing (each ask prices the routes again), and compared with the cap before a run starts.

import type { CostEstimate } from './backend/bindings';

/** How long the form waits after the last edit before asking for a new estimate. */
export const ESTIMATE_DEBOUNCE_MS = 400;

export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  cancel(): void;
}

/** `fn` runs once, `ms` after the last call, with that call's arguments. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const debounced = (...args: A) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn(...args);
    }, ms);
  };
  debounced.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return debounced;
}

/** True when the run is expected to cost more than the cap it would start with: it asks first. */
export function isOverCap(estimate: CostEstimate | null | undefined, capMicros: number | null): boolean {
  return !!estimate && capMicros !== null && estimate.total > capMicros;
}
