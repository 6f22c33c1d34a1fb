// How generated amounts and names hang together. Drawing the contractor independently
// of the amount would make contractor value follow contract counts (the top 100
// contractors would hold ~10% of value instead of the real ~25%): in the real data the
// biggest earners are firms with few, very large contracts. So each contract's amount
// is turned into a global "size score" (a standard normal: its quantile among all
// amounts), and contractors, organizations and areas are drawn through a Gaussian
// copula with that score: entities are ordered by their real average contract value and
// a contract with score s picks the entity at quantile Φ(ρ·s + √(1-ρ²)·ε). The marginal
// stays exactly "proportional to real contract_count"; ρ sets how strongly big contracts
// go to big-average entities. ρ values were fitted offline against the real shares
// (top 100 / top 1,000 contractors ~25% / ~62% of value; top 100 organizations ~50%;
// top 10 areas ~45%) and are checked by test/data/generate-skew.test.ts.
import type { ReferenceEntity } from './reference/load.js';
import { cumulativeThresholds, normalQuantile, normalUpperTail, searchThresholds } from './random.js';

export const COPULA_RHO = { contractors: 0.97, organizations: 0.85, areas: 0.15 } as const;

/** Maps log(amount) to its standard-normal score among all generated amounts (mixture of per-category log-normals). */
export type SizeScore = (logAmount: number) => number;

const GRID_POINTS = 4096;

/** Builds the size-score function for log-normal categories N(mu[c], sigma²) drawn with probability weights[c]. */
export function createSizeScore(mu: Float64Array, sigma: number, weights: ArrayLike<number>): SizeScore {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  let lo = Infinity;
  let hi = -Infinity;
  for (const m of mu) {
    lo = Math.min(lo, m - 8 * sigma);
    hi = Math.max(hi, m + 8 * sigma);
  }
  const step = (hi - lo) / (GRID_POINTS - 1);
  const grid = new Float64Array(GRID_POINTS);
  for (let g = 0; g < GRID_POINTS; g++) {
    const x = lo + g * step;
    // Lower and upper tail computed separately, so extreme amounts keep distinct scores.
    let lower = 0;
    let upper = 0;
    for (let c = 0; c < mu.length; c++) {
      const w = weights[c]! / total;
      const z = (x - mu[c]!) / sigma;
      upper += w * normalUpperTail(z);
      lower += w * normalUpperTail(-z);
    }
    grid[g] = upper < 0.5 ? -normalQuantile(upper) : normalQuantile(lower);
  }
  return (logAmount: number) => {
    const pos = (logAmount - lo) / step;
    if (pos <= 0) return grid[0]!;
    if (pos >= GRID_POINTS - 1) return grid[GRID_POINTS - 1]!;
    const i = Math.floor(pos);
    const f = pos - i;
    return grid[i]! * (1 - f) + grid[i + 1]! * f;
  };
}

/** Draws an entity index with probability ∝ count, coupled to a size score with correlation `rho`. */
export type CoupledSampler = (score: number, noise: number) => number;

/** Builds a sampler over `entities` (index into that array) for the copula described above. */
export function createCoupledSampler(entities: readonly ReferenceEntity[], rho: number): CoupledSampler {
  // Ascending real average; ties broken by index so the order (and the data) is deterministic.
  const order = entities.map((_, i) => i);
  const avg = entities.map((e) => (e.count > 0 ? e.total / e.count : 0));
  order.sort((a, b) => avg[a]! - avg[b]! || a - b);
  const cumulative = cumulativeThresholds(order.map((i) => entities[i]!.count));
  // Thresholds in normal-score space, so a draw is one binary search and no CDF call.
  const thresholds = new Float64Array(cumulative.length);
  for (let j = 0; j < cumulative.length; j++) thresholds[j] = normalQuantile(cumulative[j]!);
  thresholds[thresholds.length - 1] = Infinity;
  const indexes = Int32Array.from(order);
  const spread = Math.sqrt(1 - rho * rho);
  return (score, noise) => indexes[searchThresholds(thresholds, rho * score + spread * noise)]!;
}
