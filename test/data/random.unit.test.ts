// The generator's randomness: seeded, uniform, and the normal functions it relies on.
import { describe, expect, it } from 'vitest';
import { createCoupledSampler } from '../../src/data/coupling.js';
import { createRng, cumulativeThresholds, normalQuantile, normalUpperTail, searchThresholds } from '../../src/data/random.js';

describe('createRng', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const r = createRng(seed);
      return Array.from({ length: 5 }, () => r.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(2 ** 40)).not.toEqual(draw(0)); // seeds above 2^32 are not truncated to the same stream
    // A seed's other streams: stream 0 is the seed's own, stream 1 another.
    const stream = (seed: number, s: number) => {
      const r = createRng(seed, s);
      return Array.from({ length: 5 }, () => r.next());
    };
    expect(stream(42, 0)).toEqual(draw(42));
    expect(stream(42, 1)).not.toEqual(draw(42));
    expect(stream(42, 1)).toEqual(stream(42, 1));
  });

  it('is uniform on (0, 1)', () => {
    const r = createRng(7);
    const bins = new Array(10).fill(0);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = r.next();
      min = Math.min(min, u);
      max = Math.max(max, u);
      bins[Math.floor(u * 10)]++;
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(500); // > 5 standard deviations
  });
});

describe('normal functions', () => {
  it('match known quantiles and tails', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(normalUpperTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalUpperTail(-3)).toBeCloseTo(0.9986501, 6);
    expect(normalUpperTail(6) / 9.8658765e-10).toBeCloseTo(1, 4); // relative accuracy far in the tail
  });
});

describe('weighted sampling', () => {
  it('draws each index in proportion to its weight', () => {
    const t = cumulativeThresholds([1, 0, 3, 6]);
    const r = createRng(5);
    const n = [0, 0, 0, 0];
    for (let i = 0; i < 100_000; i++) n[searchThresholds(t, r.next())]!++;
    expect(n[1]).toBe(0);
    expect(n[0]! / 1e5).toBeCloseTo(0.1, 2);
    expect(n[2]! / 1e5).toBeCloseTo(0.3, 2);
    expect(n[3]! / 1e5).toBeCloseTo(0.6, 2);
  });

  it('keeps count-proportional marginals through the copula, and gives big contracts to big-average entities', () => {
    const entities = [
      { name: 'small', count: 600, total: 600 * 1e3 },
      { name: 'medium', count: 300, total: 300 * 1e5 },
      { name: 'large', count: 100, total: 100 * 1e7 },
    ];
    const pick = createCoupledSampler(entities, 0.9);
    const r = createRng(11);
    const n = [0, 0, 0];
    let largeScore = 0;
    for (let i = 0; i < 100_000; i++) {
      const score = normalQuantile(r.next());
      const k = pick(score, normalQuantile(r.next()));
      n[k]!++;
      if (k === 2) largeScore += score;
    }
    expect(n[0]! / 1e5).toBeCloseTo(0.6, 2);
    expect(n[1]! / 1e5).toBeCloseTo(0.3, 2);
    expect(n[2]! / 1e5).toBeCloseTo(0.1, 2);
    expect(largeScore / n[2]!).toBeGreaterThan(1.2); // the largest entity gets the high size scores
  });
});
