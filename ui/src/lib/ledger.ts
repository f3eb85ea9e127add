// Run ledger logic: the budget banners a producer reads, the bar's proportions, call words, and the
// raise-the-cap check.

import type { BudgetNoticeView, CallStatusView, LedgerView } from './backend/bindings';
import { formatMoney, parseDollars, type DollarParse } from './format';

export interface BudgetBanner {
  key: string;
  tone: 'warning' | 'error' | 'info';
  title: string;
  detail: string;
  /** The producer can raise the cap from this banner. */
  raise: boolean;
}

function committedText(ledger: LedgerView): string {
  return `${formatMoney(ledger.settled + ledger.reserved)} of ${formatMoney(ledger.cap)} is spent or held.`;
}

/** The banners for where the run stands now: the most severe budget level, then phases over their share. */
export function budgetBanners(ledger: LedgerView): BudgetBanner[] {
  const banners: BudgetBanner[] = [];
  switch (ledger.level) {
    case 'halt':
      banners.push({
        key: 'halt',
        tone: 'error',
        title: 'Budget reached: raise the cap or stop',
        detail: `${committedText(ledger)} Nothing new starts until you raise the budget or cancel the run.`,
        raise: ledger.can_raise,
      });
      break;
    case 'degrade':
      banners.push({
        key: 'degrade',
        tone: 'warning',
        title: '95 %: using fallback routes',
        detail: `${committedText(ledger)} Stages now use the cheaper fallback routes and skip optional work.`,
        raise: false,
      });
      break;
    case 'warn':
      banners.push({
        key: 'warn',
        tone: 'warning',
        title: 'Budget at 80 %',
        detail: committedText(ledger),
        raise: false,
      });
      break;
    case 'normal':
      break;
  }
  for (const phase of ledger.phases) {
    const committed = phase.settled + phase.reserved;
    if (committed > phase.allocation) {
      banners.push({
        key: `phase-${phase.phase}`,
        tone: 'info',
        title: `${phase.label} is over its share`,
        detail: `${formatMoney(committed)} against ${formatMoney(phase.allocation)} planned. Only the total budget stops a run.`,
        raise: false,
      });
    }
  }
  return banners;
}

/** A fired notice for the history list. */
export function noticeText(notice: BudgetNoticeView): string {
  const amounts = `${formatMoney(notice.committed)} of ${formatMoney(notice.cap)}`;
  switch (notice.kind) {
    case 'warn':
      return `Budget at 80 % (${amounts})`;
    case 'degrade':
      return `95 %: switched to fallback routes (${amounts})`;
    case 'halt':
      return `Budget reached (${amounts})`;
    case 'phase_over':
      return `${notice.phase_label ?? notice.phase ?? 'A phase'} went over its share (${amounts})`;
  }
}

export function callStatusText(status: CallStatusView, ambiguous: boolean): string {
  if (ambiguous) return 'Cut off: may have been billed';
  switch (status) {
    case 'in_flight':
      return 'In progress';
    case 'settled':
      return 'Done';
    case 'failed':
      return 'Failed';
    case 'released':
      return 'Cancelled';
  }
}

/** Shares of the cap for the bar, in percent (the held part starts where the billed part ends). */
export function barShares(ledger: LedgerView): { settled: number; reserved: number; warn: number; degrade: number } {
  const pct = (micros: number) => (ledger.cap > 0 ? Math.min(100, Math.max(0, (micros / ledger.cap) * 100)) : 0);
  const settled = pct(ledger.settled);
  return {
    settled,
    reserved: Math.min(100 - settled, pct(ledger.reserved)),
    warn: pct(ledger.warn_at),
    degrade: pct(ledger.degrade_at),
  };
}

/** The most a run's budget may be, as for a new episode. */
const MAX_BUDGET = 10_000 * 1_000_000;

/** Checks a typed new cap: a dollar amount above the current cap and at most $10,000. */
export function checkRaise(text: string, cap: number): DollarParse {
  const parsed = parseDollars(text);
  if (!parsed.ok) return parsed;
  if (parsed.micros <= cap) {
    return { ok: false, message: `Enter more than ${formatMoney(cap)}, the current budget.` };
  }
  if (parsed.micros > MAX_BUDGET) return { ok: false, message: 'The budget must be at most $10,000.' };
  return parsed;
}

/**
 * Runs `load` now, or once more after the current load when asked again while one is in flight: a burst of
 * run updates costs at most two ledger requests.
 */
export function coalesced(load: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const run = async () => {
    running = true;
    try {
      do {
        again = false;
        await load();
      } while (again);
    } finally {
      running = false;
    }
  };
  return () => {
    if (running) again = true;
    else void run();
  };
}
