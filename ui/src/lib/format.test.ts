import { describe, expect, it } from 'vitest';
import { formatDuration, formatElapsed, formatMoney, microsToDollarText, parseDollars, percent, plural } from './format';

describe('formatMoney', () => {
  it('shows cents like the Rust Money display', () => {
    expect(formatMoney(33_250_000)).toBe('$33.25');
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney(5_000_000)).toBe('$5.00');
  });

  it('keeps sub-cent costs visible instead of rounding them to zero', () => {
    expect(formatMoney(1_200)).toBe('$0.0012');
    expect(formatMoney(54_399)).toBe('$0.054399');
  });

  it('groups thousands and signs negatives', () => {
    expect(formatMoney(10_000_000_000)).toBe('$10,000.00');
    expect(formatMoney(-1_500_000)).toBe('-$1.50');
  });
});

describe('parseDollars', () => {
  it('parses what a producer types, exactly, into micro-dollars', () => {
    expect(parseDollars('33.25')).toEqual({ ok: true, micros: 33_250_000 });
    expect(parseDollars('$5')).toEqual({ ok: true, micros: 5_000_000 });
    expect(parseDollars(' .5 ')).toEqual({ ok: true, micros: 500_000 });
    expect(parseDollars('0.054399')).toEqual({ ok: true, micros: 54_399 });
    // 0.1 + 0.2 style drift never happens: no floating point is involved.
    expect(parseDollars('0.3')).toEqual({ ok: true, micros: 300_000 });
  });

  it('rejects empty, negative, non-numeric and over-precise amounts with a reason', () => {
    expect(parseDollars('')).toMatchObject({ ok: false });
    expect(parseDollars('-1')).toEqual({ ok: false, message: 'The amount cannot be negative.' });
    expect(parseDollars('ten')).toMatchObject({ ok: false });
    expect(parseDollars('1.2.3')).toMatchObject({ ok: false });
    expect(parseDollars('0.0000001')).toEqual({ ok: false, message: 'Use at most six decimal places.' });
  });

  it('round-trips with microsToDollarText', () => {
    expect(microsToDollarText(33_250_000)).toBe('33.25');
    expect(parseDollars(microsToDollarText(12_345_678_901))).toEqual({ ok: true, micros: 12_345_678_901 });
  });
});

describe('durations', () => {
  it('formats media lengths as m:ss and h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_432)).toBe('1:05');
    expect(formatDuration(25 * 60_000)).toBe('25:00');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });

  it('shows a dash for unknown lengths', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(-5)).toBe('—');
  });

  it('formats stage durations at a useful precision', () => {
    expect(formatElapsed(420)).toBe('420 ms');
    expect(formatElapsed(12_340)).toBe('12.3 s');
    expect(formatElapsed(125_000)).toBe('2:05');
    expect(formatElapsed(null)).toBe('—');
  });
});

describe('small words', () => {
  it('pluralises and caps percentages', () => {
    expect(plural(1, 'attempt')).toBe('1 attempt');
    expect(plural(3, 'attempt')).toBe('3 attempts');
    expect(percent(5, 10)).toBe(50);
    expect(percent(20, 10)).toBe(100);
    expect(percent(1, 0)).toBe(0);
  });
});
