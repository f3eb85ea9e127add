// Formatting for what the producer reads: money (integer micro-dollars), durations and times.

export const MICROS_PER_DOLLAR = 1_000_000;

/**
 * Dollars with cents, and sub-cent precision only when it matters ("$0.0012"), like the Rust
 * `Money` display (plus thousands grouping), so the app and the CLI agree on every amount.
 */
export function formatMoney(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(micros));
  const whole = Math.floor(abs / MICROS_PER_DOLLAR);
  const frac = abs % MICROS_PER_DOLLAR;
  const wholeText = whole.toLocaleString('en-US');
  if (frac % 10_000 === 0) {
    return `${sign}$${wholeText}.${String(frac / 10_000).padStart(2, '0')}`;
  }
  const digits = String(frac).padStart(6, '0').replace(/0+$/, '');
  return `${sign}$${wholeText}.${digits}`;
}

export type DollarParse = { ok: true; micros: number } | { ok: false; message: string };

/**
 * Parses a typed dollar amount ("33.25", "$5", ".5") into micro-dollars without floating point, with the
 * same rules and words as `Money::parse_dollars`.
 */
export function parseDollars(text: string): DollarParse {
  const trimmed = text.trim().replace(/^\$+/, '').trim();
  if (trimmed === '') return { ok: false, message: 'Enter an amount in dollars, e.g. 33.25.' };
  if (trimmed.startsWith('-')) return { ok: false, message: 'The amount cannot be negative.' };
  const match = /^(\d*)(?:\.(\d*))?$/.exec(trimmed);
  const whole = match?.[1] ?? '';
  const frac = match?.[2] ?? '';
  if (!match || (whole === '' && frac === '')) {
    return { ok: false, message: `'${text.trim()}' is not a dollar amount; use digits like 33.25.` };
  }
  if (frac.length > 6) return { ok: false, message: 'Use at most six decimal places.' };
  const micros = Number(whole || '0') * MICROS_PER_DOLLAR + Number(frac.padEnd(6, '0') || '0');
  if (!Number.isSafeInteger(micros)) return { ok: false, message: 'The amount is too large.' };
  return { ok: true, micros };
}

/** Micro-dollars as a plain editable amount: 33250000 → "33.25". */
export function microsToDollarText(micros: number): string {
  return formatMoney(micros).replace(/^(-?)\$/, '$1').replace(/,/g, '');
}

/** A media position or length: "m:ss", or "h:mm:ss" from an hour up. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const totalSeconds = Math.floor(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const ss = String(seconds).padStart(2, '0');
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, '0')}:${ss}`;
  return `${minutes}:${ss}`;
}

/** How long a stage took: "420 ms", "12.3 s", "2:05". */
export function formatElapsed(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatDuration(ms);
}

/** A timestamp as the producer's local date and time, e.g. "Nov 23, 08:52". */
export function formatTimestamp(ms: number, now: number = Date.now()): string {
  const date = new Date(ms);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return date.toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** "1 attempt", "3 attempts". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A 0–1 share as a whole percentage, capped at 100 for bars. */
export function percent(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.min(100, Math.max(0, Math.round((part / whole) * 100)));
}
