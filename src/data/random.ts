// Seeded randomness for the generator: a small fast PRNG and the normal-distribution
// functions it needs. Written here (not Math.random) so that the same seed gives the
// same data on every run and machine; V8's Math.log/exp are fdlibm ports, deterministic.

/** A seeded uniform random source. */
export type Rng = {
  /** Uniform in the open interval (0, 1): never exactly 0 or 1, so log and quantile functions stay finite. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
};

const TWO_32 = 4294967296;

/** SplitMix32 step: spreads a seed's bits so that seeds 1 and 2 give unrelated streams. */
function splitmix32(state: number): [number, number] {
  const s = (state + 0x9e3779b9) | 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [s, (z ^ (z >>> 16)) >>> 0];
}

/**
 * Creates an sfc32 generator (Chris Doty-Humphrey's Small Fast Counting RNG) seeded from any
 * safe integer; `stream` (default 0) picks one of several unrelated streams of a seed.
 */
export function createRng(seed: number, stream = 0): Rng {
  // Both halves of the seed feed the state, so seeds above 2^32 differ too.
  let s = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_32) | 0, 0x27d4eb2d) ^ Math.imul(stream, 0x632be5ab);
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [nextState, out] = splitmix32(s);
    s = nextState;
    words.push(out);
  }
  let [a, b, c, d] = words as [number, number, number, number];
  const raw = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) raw(); // warm-up: the first outputs of a fresh state are correlated
  return {
    next: () => (raw() + 0.5) / TWO_32,
    int: (n: number) => Math.floor(((raw() + 0.5) / TWO_32) * n),
  };
}

/** erfc(x) with fractional error below 1.2e-7 (Numerical Recipes `erfcc`, Chebyshev fit). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
        t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Upper tail of the standard normal, P(Z > x), accurate far into the tail (no 1 - cdf cancellation). */
export function normalUpperTail(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

// Acklam's rational approximation of the normal quantile, relative error < 1.15e-9.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Inverse of the standard normal CDF for p in (0, 1); -Infinity / +Infinity at 0 / 1. */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const [a0, a1, a2, a3, a4, a5] = A as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = B as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = C as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = D as [number, number, number, number];
  if (p < P_LOW || p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p < P_LOW ? p : 1 - p));
    const x = (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
    return p < P_LOW ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/** Index of the first threshold >= value (thresholds ascending; the last one should be +Infinity). */
export function searchThresholds(thresholds: Float64Array, value: number): number {
  let lo = 0;
  let hi = thresholds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thresholds[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Cumulative thresholds in (0, 1] for drawing index i with probability weights[i] / sum(weights). */
export function cumulativeThresholds(weights: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  if (!(total > 0)) throw new Error('weights must have a positive sum');
  const out = new Float64Array(weights.length);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]!;
    out[i] = acc / total;
  }
  out[weights.length - 1] = Infinity; // rounding can leave the last cumulative at 0.9999999...
  return out;
}
