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

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * The award dates of `count` contracts, 'YYYY-MM-DD', handed out in ascending order: each
 * drawn independently (year by growth curve, month by seasonality, day uniform in the
 * month), then sorted. The contracts' other attributes do not depend on the date (only
 * their titles' year and month do, drawn after it), so in ascending order the generated
 * contracts have the same distribution as with their dates drawn one by one. They then sit
 * in award-date order, as a load of the real export's years one after another would: the
 * indexes on the award date, and the keyword table (written in that order), are built from
 * presorted rows. Holds one counter per day, whatever the count.
 */
export function createAscendingDates(rng: Rng, count: number): () => string {
  const years: number[] = [];
  for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) years.push(y);
  const yearThresholds = cumulativeThresholds(years.map((y) => YEAR_WEIGHTS[y]!));
  const monthThresholds = cumulativeThresholds(MONTH_WEIGHTS);
  const lengths = years.map((y) => Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate()));
  // Contracts per day: cell (year index * 12 + month) * 31 + day - 1.
  const perDay = new Int32Array(years.length * 12 * 31);
  for (let i = 0; i < count; i++) {
    const y = searchThresholds(yearThresholds, rng.next());
    const m = searchThresholds(monthThresholds, rng.next());
    perDay[(y * 12 + m) * 31 + rng.int(lengths[y]![m]!)]! += 1;
  }
  // Pre-rendered "YYYY-MM-" prefixes and day strings: this runs once per contract.
  const prefixes = years.map((y) => Array.from({ length: 12 }, (_, m) => `${y}-${pad2(m + 1)}-`));
  const days = Array.from({ length: 31 }, (_, d) => pad2(d + 1));
  let cell = -1;
  let left = 0;
  let date = '';
  return () => {
    while (left === 0) {
      cell += 1;
      if (cell >= perDay.length) throw new RangeError(`only ${count} dates were drawn`);
      left = perDay[cell]!;
      date = prefixes[Math.floor(cell / (12 * 31))]![Math.floor(cell / 31) % 12]! + days[cell % 31]!;
    }
    left -= 1;
    return date;
  };
}
