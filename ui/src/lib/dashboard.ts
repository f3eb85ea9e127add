// The Dashboard's figures as chart series: one label per bar or point, one series per measure, each with the
// formatter that both the chart's hover and the table under it use, so the two always read the same.

import type { AlertKind, DashboardView } from './backend/bindings';
import { formatMoney } from './format';

export type ChartKind = 'bar' | 'line';

export type Series = {
  label: string;
  values: (number | null)[];
  format: (value: number) => string;
  /** In the table only: a count that explains the charted figure but would dwarf it on one axis. */
  tableOnly?: boolean;
};

export type Figure = { kind: ChartKind; labels: string[]; series: Series[] };

const HOUR_MS = 3_600_000;

export const money = (micros: number) => formatMoney(Math.round(micros));
export const count = (n: number) => n.toLocaleString('en-US');
export const share = (rate: number) => `${Math.round(rate * 100)}%`;
export const score = (s: number) => s.toFixed(1);

/** A span from start to release: minutes under an hour, hours under two days, then days. */
export function span(ms: number): string {
  if (ms < HOUR_MS) return `${Math.max(0, Math.round(ms / 60_000))} min`;
  if (ms < 48 * HOUR_MS) return `${(ms / HOUR_MS).toFixed(1)} h`;
  return `${(ms / (24 * HOUR_MS)).toFixed(1)} days`;
}

const sortedUnique = (items: string[]) => [...new Set(items)].sort();

export function spendFigure(view: DashboardView): Figure {
  const rows = [...view.spend].sort((a, b) => a.month.localeCompare(b.month) || a.show_name.localeCompare(b.show_name));
  return {
    kind: 'bar',
    labels: rows.map((r) => `${r.month} · ${r.show_name}`),
    series: [
      { label: 'Spent', values: rows.map((r) => r.spent), format: money },
      { label: 'Caps', values: rows.map((r) => r.caps), format: money },
      { label: 'Episodes', values: rows.map((r) => r.episodes), format: count, tableOnly: true },
    ],
  };
}

export function costPerMinuteFigure(view: DashboardView): Figure {
  const rows = view.cost_per_minute;
  return {
    kind: 'bar',
    labels: rows.map((r) => r.show_name),
    series: [
      { label: 'Per finished minute', values: rows.map((r) => r.per_minute), format: money },
      { label: 'Finished minutes', values: rows.map((r) => r.finished_minutes), format: (m) => m.toFixed(1), tableOnly: true },
      { label: 'Spent', values: rows.map((r) => r.spent), format: money, tableOnly: true },
    ],
  };
}

/** One line per gate over the months any gate reported in (a gap where that gate had no report). */
export function gateFigure(view: DashboardView): Figure {
  const months = sortedUnique(view.gates.map((g) => g.month));
  const gates = sortedUnique(view.gates.map((g) => g.gate));
  return {
    kind: 'line',
    labels: months,
    series: gates.map((gate) => ({
      label: `${view.gates.find((g) => g.gate === gate)?.label ?? gate} pass rate`,
      values: months.map((m) => view.gates.find((g) => g.gate === gate && g.month === m)?.pass_rate ?? null),
      format: share,
    })),
  };
}

export function evaluationFigure(view: DashboardView): Figure {
  const rows = [...view.evaluations].sort((a, b) => a.month.localeCompare(b.month));
  return {
    kind: 'line',
    labels: rows.map((r) => r.month),
    series: [
      { label: 'Mean score (0–10)', values: rows.map((r) => r.mean_score), format: score },
      { label: 'Evaluations', values: rows.map((r) => r.evaluations), format: count, tableOnly: true },
    ],
  };
}

export function providerFigure(view: DashboardView): Figure {
  const rows = view.providers;
  return {
    kind: 'bar',
    labels: rows.map((r) => r.label),
    series: [
      { label: 'Retries', values: rows.map((r) => r.retries), format: count },
      { label: 'Fallbacks', values: rows.map((r) => r.fallbacks), format: count },
      { label: 'Failed', values: rows.map((r) => r.failed), format: count },
      { label: 'Calls', values: rows.map((r) => r.calls), format: count, tableOnly: true },
      { label: 'Cost', values: rows.map((r) => r.cost), format: money, tableOnly: true },
    ],
  };
}

export function releaseFigure(view: DashboardView): Figure {
  const rows = [...view.releases].sort((a, b) => a.month.localeCompare(b.month) || a.show_name.localeCompare(b.show_name));
  return {
    kind: 'bar',
    labels: rows.map((r) => `${r.month} · ${r.show_name}`),
    series: [
      { label: 'Mean time to release', values: rows.map((r) => r.mean_ms), format: span },
      { label: 'Longest', values: rows.map((r) => r.max_ms), format: span },
      { label: 'Released', values: rows.map((r) => r.episodes), format: count, tableOnly: true },
    ],
  };
}

export const ALERT_LABELS: Record<AlertKind, string> = {
  budget_warn: 'Budget warning',
  budget_degrade: 'Budget: cheaper models',
  budget_halt: 'Budget: stopped',
  failed: 'Failed',
  needs_attention: 'Needs attention',
};

export const ALERT_TONES: Record<AlertKind, 'warning' | 'danger'> = {
  budget_warn: 'warning',
  budget_degrade: 'warning',
  budget_halt: 'danger',
  failed: 'danger',
  needs_attention: 'warning',
};
