// The amount buckets and the plan that counts an amount range from them: checked against
// brute force over amounts that sit on, next to and between the bucket boundaries.
import { describe, expect, it } from 'vitest';
import { amountPlan, bucketOf, bucketOfCents, centsAtLeast, centsAtMost, LAST_BUCKET, type AmountSpan } from '../../src/data/amount-classes.js';
import { createRng, type Rng } from '../../src/data/random.js';

const inSpan = (a: number, s: AmountSpan) =>
  (s.from === null || (s.fromInclusive ? a >= s.from : a > s.from)) && (s.to === null || (s.toInclusive ? a <= s.to : a < s.to));

/** A boundary: one significant digit. */
const boundary = (rng: Rng) => (1 + rng.int(9)) * 10 ** rng.int(12);
const cents = (x: number) => Math.round(x * 100) / 100;

/** Amounts in cents: on boundaries, a cent either side, spread on a log scale, below 1, huge. */
function amounts(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => {
    const r = rng.next();
    if (r < 0.25) return boundary(rng);
    if (r < 0.4) return cents(boundary(rng) + (rng.next() < 0.5 ? -0.01 : 0.01));
    if (r < 0.45) return cents(rng.next());
    if (r < 0.48) return cents(10 ** (13 + rng.next() * 4));
    return cents(10 ** (rng.next() * 10));
  });
}

describe('amount buckets', () => {
  it('put a boundary in its own bucket, between the amounts just below and just above it', () => {
    expect([0, 0.5, 0.99, 1, 1.01, 1.99, 2, 9.99, 10, 10.01].map(bucketOf)).toEqual([0, 0, 0, 1, 2, 2, 3, 18, 19, 20]);
    expect(bucketOf(999_999.99)).toBe(bucketOf(900_000) + 1);
    expect(bucketOf(1_000_000)).toBe(bucketOf(999_999.99) + 1);
    expect(bucketOf(9e17)).toBe(LAST_BUCKET - 1);
    expect(bucketOf(2e18)).toBe(LAST_BUCKET);
  });

  it('are ordered as the amounts are', () => {
    const rng = createRng(7);
    const list = amounts(rng, 5000).sort((a, b) => a - b);
    for (let i = 1; i < list.length; i++) expect(bucketOf(list[i]!)).toBeGreaterThanOrEqual(bucketOf(list[i - 1]!));
  });
});

describe('amount buckets in cents', () => {
  it('are the buckets of the same amounts in pesos, on, next to and between boundaries', () => {
    const rng = createRng(13);
    const amounts: number[] = [-1234, -1, 0, 1, 99, 100, 101, 999_999_99, 100_000_000, 100_000_001, 9e15 - 1, 9e15];
    for (let i = 0; i < 2000; i++) {
      const b = boundary(rng) * 100;
      amounts.push(b - 1, b, b + 1, Math.floor(rng.next() * b));
    }
    for (const c of amounts) expect(bucketOfCents(c), String(c)).toBe(bucketOf(c / 100));
    expect(bucketOfCents(9e15 - 1)).toBeLessThan(bucketOfCents(9e15));
  });
});

describe('amountPlan', () => {
  it('counts every range exactly: whole buckets, plus and minus the cut ones', () => {
    const rng = createRng(11);
    const list = amounts(rng, 4000);
    const perBucket = new Map<number, number>();
    for (const a of list) perBucket.set(bucketOf(a), (perBucket.get(bucketOf(a)) ?? 0) + 1);
    const bound = (): number | null => {
      const r = rng.next();
      if (r < 0.15) return null;
      if (r < 0.45) return boundary(rng);
      if (r < 0.6) return cents(boundary(rng) + (rng.next() < 0.5 ? -0.01 : 0.01));
      if (r < 0.8) return list[rng.int(list.length)]!;
      return cents(10 ** (rng.next() * 11));
    };
    let cut = 0;
    let whole = 0;
    for (let i = 0; i < 3000; i++) {
      let [min, max] = [bound(), bound()];
      if (min === null && max === null) min = 0;
      if (min !== null && max !== null && min > max) [min, max] = [max, min];
      const plan = amountPlan(min, max);
      let count = 0;
      if (plan.buckets) {
        const [first, last] = plan.buckets;
        expect(first).toBeLessThanOrEqual(last);
        for (let b = first; b <= last; b++) count += perBucket.get(b) ?? 0;
      }
      for (const s of plan.plus) count += list.filter((a) => inSpan(a, s)).length;
      for (const s of plan.minus) count -= list.filter((a) => inSpan(a, s)).length;
      const truth = list.filter((a) => (min === null || a >= min) && (max === null || a <= max)).length;
      expect({ min, max, count }).toEqual({ min, max, count: truth });
      // At most one cut bucket at each end is read.
      expect(plan.plus.length + plan.minus.length).toBeLessThanOrEqual(2);
      if (plan.plus.length + plan.minus.length) cut += 1;
      else whole += 1;
    }
    expect(cut).toBeGreaterThan(500);
    expect(whole).toBeGreaterThan(300);
  });

  it('needs no contracts for bounds on boundaries, and reads the narrower side of a cut bucket', () => {
    expect(amountPlan(1_000_000, 10_000_000)).toEqual({ buckets: [bucketOf(1_000_000), bucketOf(10_000_000)], plus: [], minus: [] });
    expect(amountPlan(null, 500)).toEqual({ buckets: [0, bucketOf(500)], plus: [], minus: [] });
    // 1.1M: (1M, 1.1M) is narrower than [1.1M, 2M): the whole bucket less (1M, 1.1M).
    expect(amountPlan(1_100_000, null)).toEqual({
      buckets: [bucketOf(1_050_000), LAST_BUCKET],
      plus: [],
      minus: [{ from: 1_000_000, fromInclusive: false, to: 1_100_000, toInclusive: false }],
    });
    // 1.9M: [1.9M, 2M) is narrower.
    expect(amountPlan(1_900_000, null)).toEqual({
      buckets: [bucketOf(2_000_000), LAST_BUCKET],
      plus: [{ from: 1_900_000, fromInclusive: true, to: 2_000_000, toInclusive: false }],
      minus: [],
    });
    // Both bounds inside one bucket: read the range itself.
    expect(amountPlan(1_500_000, 1_700_000)).toEqual({ buckets: null, plus: [{ from: 1_500_000, fromInclusive: true, to: 1_700_000, toInclusive: true }], minus: [] });
  });
});

describe('amount bounds in cents', () => {
  it('read the decimal PostgreSQL compares, not the double times 100', () => {
    // 1.15 * 100 is 114.99999999999999 in doubles; the bound PostgreSQL reads is exactly 1.15.
    expect(centsAtMost(1.15)).toBe(115);
    expect(centsAtLeast(1.15)).toBe(115);
    expect(centsAtLeast(1.005)).toBe(101); // 100.5 cents: an amount of 1.01 or more
    expect(centsAtMost(1.005)).toBe(100);
    expect(centsAtLeast(0)).toBe(0);
    expect(centsAtMost(1_000_000)).toBe(100_000_000);
    expect(centsAtLeast(1e21)).toBe(1e23); // String(): '1e+21'
    expect(centsAtLeast(1.5e-7)).toBe(1); // '1.5e-7'
    expect(centsAtMost(1.5e-7)).toBe(0);
  });

  it('agree with exact decimal comparison for random bounds and amounts', () => {
    const rng = createRng(9);
    for (let i = 0; i < 2000; i++) {
      const bound = Math.round(10 ** (rng.next() * 9) * 1000) / 1000; // up to three decimals
      const cents = Math.round(bound * 100) + rng.int(3) - 1;
      // amount (cents / 100) against the bound's decimal, compared as integers of thousandths of a cent
      const amountMilli = BigInt(cents) * 1000n;
      const [whole, fraction = ''] = String(bound).split('.');
      const boundMilli = BigInt(whole! + fraction.padEnd(5, '0').slice(0, 5));
      expect(cents >= centsAtLeast(bound)).toBe(amountMilli >= boundMilli);
      expect(cents <= centsAtMost(bound)).toBe(amountMilli <= boundMilli);
    }
  });
});
