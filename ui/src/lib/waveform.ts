// Pure geometry of the release gate's waveform, kept apart from the canvas so it can be tested.

/** The position (ms) under `x` pixels from the left of a waveform `width` pixels wide, clamped to the audio. */
export function positionAt(x: number, width: number, durationMs: number): number {
  if (width <= 0 || durationMs <= 0) return 0;
  const fraction = Math.min(1, Math.max(0, x / width));
  return Math.round(fraction * durationMs);
}

/** Where `ms` sits, in pixels from the left. */
export function xAt(ms: number, width: number, durationMs: number): number {
  if (durationMs <= 0) return 0;
  return (Math.min(durationMs, Math.max(0, ms)) / durationMs) * width;
}

/** One column per pixel: the lowest min and highest max of the buckets that fall in it. */
export function columns(min: number[], max: number[], width: number): { lo: number; hi: number }[] {
  const n = Math.min(min.length, max.length);
  const cols = Math.max(0, Math.floor(width));
  const out: { lo: number; hi: number }[] = [];
  for (let c = 0; c < cols && n > 0; c++) {
    const start = Math.floor((c * n) / cols);
    const end = Math.max(start + 1, Math.floor(((c + 1) * n) / cols));
    let lo = 0;
    let hi = 0;
    for (let i = start; i < end && i < n; i++) {
      lo = Math.min(lo, min[i] ?? 0);
      hi = Math.max(hi, max[i] ?? 0);
    }
    out.push({ lo, hi });
  }
  return out;
}
