// Amount buckets of the amount rollups (contract_amount_totals). Their boundaries are the
// numbers with one significant digit (1, 2, ... 9, 10, 20, ... 9e17), so the round bounds
// people type (1M, 5M, 500k) fall on them, and any other bound lies between two neighbours.
// Bucket 0 holds amounts below 1; then each boundary g has two buckets, in amount order: g
// itself (amounts exactly g, odd numbers), then the amounts strictly between g and the next
// boundary (even numbers). Boundary k (k = 1 ... 162, g = m * 10^d with k = 9d + m) thus has
// buckets 2k-1 and 2k, and an inclusive bound on a boundary needs no contract read.
//
// Every boundary is an integer below 2^53, so JavaScript compares it exactly with an amount
// bound (a double): String() of a double is the decimal that PostgreSQL then compares, and it
// orders against an integer exactly as the double does.

/** The boundaries in ascending order, from index 1 (index 0: none). */
const BOUNDARY: number[] = [-Infinity];
for (let d = 0; d <= 17; d++) for (let m = 1; m <= 9; m++) BOUNDARY.push(m * 10 ** d);
const LAST_BOUNDARY = BOUNDARY.length - 1;
/** The last bucket: amounts above the last boundary. */
export const LAST_BUCKET = 2 * LAST_BOUNDARY;

/** Index of the largest of `bounds` (BOUNDARY, in pesos or cents) <= x (0: below the first). */
function boundaryIndex(x: number, bounds: readonly number[] = BOUNDARY): number {
  let lo = 0;
  let hi = LAST_BOUNDARY;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bounds[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The bucket of x among `bounds` (BOUNDARY, in pesos or cents). */
function bucketAmong(x: number, bounds: readonly number[]): number {
  const k = boundaryIndex(x, bounds);
  return k === 0 ? 0 : bounds[k] === x ? 2 * k - 1 : 2 * k;
}

/** The bucket of an amount (tests; SQL uses amountBucketSql). */
export function bucketOf(amount: number): number {
  return bucketAmong(amount, BOUNDARY);
}

/** The boundaries in cents: exact up to 9 * 10^13 pesos (below 2^53 cents), and above any amount of fewer cents. */
const CENTS_BOUNDARY = BOUNDARY.map((b) => b * 100);

/** The bucket of an amount given in whole cents below 2^53 in magnitude, exactly (rollup-arrays.ts). */
export function bucketOfCents(cents: number): number {
  return bucketAmong(cents, CENTS_BOUNDARY);
}

const FLOAT_BOUNDARIES = `'{${BOUNDARY.slice(1).join(',')}}'::float8[]`;
const NUMERIC_BOUNDARIES = `'{${BOUNDARY.slice(1).map((b) => BigInt(b).toString()).join(',')}}'::numeric[]`;

/**
 * SQL: the index of the largest boundary <= `amount` (numeric(20,2)), as boundaryIndex:
 * width_bucket over the boundaries. Below 10^13 on doubles (4x faster than numerics): there
 * a double's spacing is under 0.002, so an amount in cents never rounds onto or across an
 * integer boundary; above, on numerics.
 */
export function boundaryIndexSql(amount: string): string {
  return `CASE WHEN ${amount} < 1e13 THEN width_bucket(${amount}::float8, ${FLOAT_BOUNDARIES}) ELSE width_bucket(${amount}, ${NUMERIC_BOUNDARIES}) END`;
}

/** SQL: the bucket of `amount` given `k`, its boundaryIndexSql, as bucketOf. */
export function amountBucketSql(amount: string, k: string): string {
  return `CASE WHEN ${k} = 0 THEN 0 WHEN ${amount} = (${NUMERIC_BOUNDARIES})[${k}] THEN 2 * ${k} - 1 ELSE 2 * ${k} END`;
}

/** Amounts between two bounds, each absent (open), inclusive or exclusive. */
export type AmountSpan = { from: number | null; fromInclusive: boolean; to: number | null; toInclusive: boolean };

/**
 * How to count the contracts whose amount lies in [min, max] (either may be null = open) from
 * the amount rollups: the rows of buckets `buckets` (contiguous, inclusive; null = none), plus
 * the contracts of the spans in `plus`, minus those of `minus`. A bound between two boundaries
 * cuts the bucket between them: it is read either as its part inside the range, or as the
 * whole bucket less its part outside, whichever is narrower (by the ratio of its ends:
 * amounts spread about evenly on a log scale).
 */
export type AmountPlan = { buckets: [number, number] | null; plus: AmountSpan[]; minus: AmountSpan[] };

/** Log-scale width of (a, b) (a = -Infinity, or 0: counted as wide). */
const width = (a: number, b: number) => (a <= 0 ? Infinity : Math.log(b / a));

export function amountPlan(min: number | null, max: number | null): AmountPlan {
  // First whole bucket: min on a boundary: that boundary's own; inside a bucket: the next
  // boundary's. Last: max on a boundary, or inside the bucket after it: that boundary's own.
  const low = min === null ? 0 : boundaryIndex(min);
  const first = min === null ? 0 : BOUNDARY[low] === min ? 2 * low - 1 : 2 * low + 1;
  const high = max === null ? LAST_BOUNDARY : boundaryIndex(max);
  const last = max === null ? LAST_BUCKET : 2 * high - 1;
  if (first > last) return { buckets: null, plus: [{ from: min, fromInclusive: true, to: max, toInclusive: true }], minus: [] };
  const plan: AmountPlan = { buckets: [first, last], plus: [], minus: [] };
  if (min !== null && BOUNDARY[low] !== min) {
    // [min, next boundary) within bucket 2 * low = (boundary low, next).
    const below = BOUNDARY[low]!;
    const next = BOUNDARY[low + 1]!;
    if (low > 0 && width(below, min) < width(min, next)) {
      plan.buckets![0] = 2 * low;
      plan.minus.push({ from: below, fromInclusive: false, to: min, toInclusive: false });
    } else plan.plus.push({ from: min, fromInclusive: true, to: next, toInclusive: false });
  }
  if (max !== null && BOUNDARY[high] !== max) {
    // (boundary high, max] within bucket 2 * high = (boundary high, next).
    const below = BOUNDARY[high]!;
    const next = high < LAST_BOUNDARY ? BOUNDARY[high + 1]! : Infinity;
    if (high > 0 && width(max, next) < width(below, max)) {
      plan.buckets![1] = 2 * high;
      plan.minus.push({ from: max, fromInclusive: false, to: next === Infinity ? null : next, toInclusive: false });
    } else plan.plus.push({ from: high === 0 ? null : below, fromInclusive: false, to: max, toInclusive: true });
  }
  return plan;
}

/**
 * The exact decimal that PostgreSQL reads from String(x) (what filterSql binds for an amount
 * bound), as num / den. x is finite and not negative (validated).
 */
function decimalOf(x: number): { num: bigint; den: bigint } {
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) throw new Error(`unexpected amount bound ${x}`);
  const fraction = m[2] ?? '';
  const scale = fraction.length - Number(m[3] ?? 0);
  const num = BigInt(m[1]! + fraction);
  return scale >= 0 ? { num, den: 10n ** BigInt(scale) } : { num: num * 10n ** BigInt(-scale), den: 1n };
}

/** The fewest cents an amount needs to be at least `x` pesos (amount >= x exactly as PostgreSQL compares it). */
export function centsAtLeast(x: number): number {
  const { num, den } = decimalOf(x);
  return Number((num * 100n + den - 1n) / den);
}

/** The most cents an amount may have to be at most `x` pesos (amount <= x exactly as PostgreSQL compares it). */
export function centsAtMost(x: number): number {
  const { num, den } = decimalOf(x);
  return Number((num * 100n) / den);
}
