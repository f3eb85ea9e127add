import { describe, expect, it, vi } from 'vitest';
import { barShares, budgetBanners, callStatusText, checkRaise, coalesced, noticeText } from './ledger';
import { ledgerView } from '../test-utils/producer';

describe('ledger', () => {
  it('shows one banner for the budget level, in the producer’s words', () => {
    expect(budgetBanners(ledgerView())).toEqual([]);
    const titles = (level: 'warn' | 'degrade' | 'halt') =>
      budgetBanners(ledgerView({ level, settled: 9_000_000, reserved: 0 })).map((b) => b.title);
    expect(titles('warn')).toEqual(['Budget at 80 %']);
    expect(titles('degrade')).toEqual(['95 %: using fallback routes']);
    expect(titles('halt')).toEqual(['Budget reached: raise the cap or stop']);
    const [halt] = budgetBanners(ledgerView({ level: 'halt', settled: 10_000_000, reserved: 0 }));
    expect(halt?.raise).toBe(true);
    expect(halt?.detail).toContain('$10.00 of $10.00 is spent or held.');
    expect(budgetBanners(ledgerView({ level: 'halt', can_raise: false }))[0]?.raise).toBe(false);
  });

  it('adds a note for a phase over its share, while it still is', () => {
    const over = ledgerView({
      phases: [{ phase: 'drafting', label: 'Drafting', allocation: 2_000_000, settled: 2_500_000, reserved: 0 }],
    });
    expect(budgetBanners(over).map((b) => b.title)).toEqual(['Drafting is over its share']);
  });

  it('words fired notices and call states', () => {
    const notice = { phase: null, phase_label: null, committed: 8_100_000, cap: 10_000_000, fired_at_ms: 0 };
    expect(noticeText({ ...notice, kind: 'warn' })).toBe('Budget at 80 % ($8.10 of $10.00)');
    expect(noticeText({ ...notice, kind: 'phase_over', phase: 'audio', phase_label: 'Audio' })).toMatch(
      /^Audio went over its share/,
    );
    // A notice whose label is unknown names its phase by id rather than by nothing.
    expect(noticeText({ ...notice, kind: 'phase_over', phase: 'review' })).toMatch(/^review went over its share/);
    expect(callStatusText('settled', false)).toBe('Done');
    expect(callStatusText('released', true)).toBe('Cut off: may have been billed');
  });

  it('draws billed then held money, with the marks at 80 and 95 %', () => {
    expect(barShares(ledgerView())).toEqual({ settled: 20, reserved: 5, warn: 80, degrade: 95 });
    expect(barShares(ledgerView({ settled: 9_800_000, reserved: 900_000 })).reserved).toBeCloseTo(2);
  });

  it('only raises the cap to more than it is now, and at most $10,000', () => {
    expect(checkRaise('12.50', 10_000_000)).toEqual({ ok: true, micros: 12_500_000 });
    expect(checkRaise('10', 10_000_000)).toEqual({ ok: false, message: 'Enter more than $10.00, the current budget.' });
    expect(checkRaise('20000', 10_000_000)).toEqual({ ok: false, message: 'The budget must be at most $10,000.' });
    expect(checkRaise('ten', 10_000_000).ok).toBe(false);
  });

  it('coalesces a burst of refreshes into at most one more load', async () => {
    let release: () => void = () => {};
    const load = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const refresh = coalesced(load);
    refresh();
    refresh();
    refresh();
    expect(load).toHaveBeenCalledTimes(1);
    release();
    await vi.waitFor(() => expect(load).toHaveBeenCalledTimes(2));
    release();
    await Promise.resolve();
    expect(load).toHaveBeenCalledTimes(2);
  });
});
