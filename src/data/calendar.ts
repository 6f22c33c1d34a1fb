// When generated contracts are awarded: 2013-2025, growing year on year, peaking every December.
import type { Rng } from './random.js';
import { cumulativeThresholds, searchThresholds } from './random.js';

export const FIRST_YEAR = 2013;
export const LAST_YEAR = 2025;

// Relative award volume per year. The README gives two anchors (~120K awards in 2014,
// ~470K in 2024); the years between follow a smooth growth with a dip in 2020 (pandemic
// lockdowns) and 2013 as the first, partial year of the award data. Only the shape matters:
// it is scaled to however many contracts are generated.
const YEAR_WEIGHTS: Record<number, number> = {
  2013: 65, 2014: 120, 2015: 185, 2016: 240, 2017: 285, 2018: 325, 2019: 360,
  2020: 330, 2021: 395, 2022: 430, 2023: 455, 2024: 470, 2025: 480,
};

// Relative volume per month: slow January, December the peak (agencies obligate the
// year's remaining budget before it lapses).
const MONTH_WEIGHTS = [0.6, 0.8, 0.95, 0.9, 0.95, 1.0, 0.95, 0.95, 1.0, 1.05, 1.15, 1.7];

/** Draws award dates as 'YYYY-MM-DD'. */
export type DateSampler = (rng: Rng) => string;

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** Creates the award-date sampler (year by growth curve, month by seasonality, day uniform in the month). */
export function createDateSampler(): DateSampler {
  const years: number[] = [];
  for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) years.push(y);
  const yearThresholds = cumulativeThresholds(years.map((y) => YEAR_WEIGHTS[y]!));
  const monthThresholds = cumulativeThresholds(MONTH_WEIGHTS);
  // Pre-rendered "YYYY-MM-" prefixes, day strings and month lengths: this runs once per
  // contract, millions of times.
  const prefixes = years.map((y) => Array.from({ length: 12 }, (_, m) => `${y}-${pad2(m + 1)}-`));
  const lengths = years.map((y) => Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate()));
  const days = Array.from({ length: 31 }, (_, d) => pad2(d + 1));
  return (rng) => {
    const y = searchThresholds(yearThresholds, rng.next());
    const m = searchThresholds(monthThresholds, rng.next());
    return prefixes[y]![m]! + days[rng.int(lengths[y]![m]!)]!;
  };
}
