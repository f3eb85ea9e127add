import { describe, expect, it } from 'vitest';
import { columns, positionAt, xAt } from './waveform';

describe('waveform geometry', () => {
  it('maps a click to the position under it, clamped to the audio', () => {
    expect(positionAt(150, 600, 60_000)).toBe(15_000);
    expect(positionAt(-20, 600, 60_000)).toBe(0);
    expect(positionAt(700, 600, 60_000)).toBe(60_000);
    expect(positionAt(10, 0, 60_000)).toBe(0);
  });

  it('places a time at its pixel', () => {
    expect(xAt(30_000, 800, 60_000)).toBe(400);
    expect(xAt(90_000, 800, 60_000)).toBe(800);
  });

  it('folds buckets into pixel columns keeping the extremes', () => {
    const cols = columns([-0.1, -0.9, -0.2, -0.3], [0.2, 0.1, 0.8, 0.3], 2);
    expect(cols).toEqual([
      { lo: -0.9, hi: 0.2 },
      { lo: -0.3, hi: 0.8 },
    ]);
  });
});
