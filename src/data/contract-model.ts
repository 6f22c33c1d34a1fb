// The synthetic-contract model: everything about one generated contract except how it
// reaches the database. Pure and deterministic: the same seed and count give the same
// contracts. Every contract draws from one sequential stream, except its award date: the
// dates of all `count` contracts are drawn first, from a stream of their own, and handed
// out in ascending order (calendar.ts), so the contracts come in award-date order.
import { createAscendingDates } from './calendar.js';
import { COPULA_RHO, createCoupledSampler, createSizeScore } from './coupling.js';
import { awardStatus, classificationOf, createModeSampler } from './procurement.js';
import { createRng, cumulativeThresholds, normalQuantile, searchThresholds } from './random.js';
import type { ReferenceData } from './reference/load.js';
import { createTitleMaker } from './titles.js';

/** One generated contract; dimensions are indexes into the reference arrays (area -1: none). */
export type GeneratedContract = {
  referenceId: string;
  awardTitle: string;
  noticeTitle: string;
  contractor: number;
  organization: number;
  area: number;
  category: number;
  procurementMode: string;
  classification: string;
  awardStatus: string;
  /** Pesos with two decimals, as text (exact in NUMERIC); null = no published amount. */
  amount: string | null;
  approvedBudget: string;
  awardDate: string;
};

/** Spread of log(amount) within a category. 1.3 makes Construction Projects' largest awards
 *  reach the billions at millions of contracts, as real ones do, while each category's mean
 *  stays its real average; see test/data/generate-skew.test.ts for the resulting shares. */
export const AMOUNT_SIGMA = 1.3;
/** Share of awards published without a contract amount (real exports have some). */
export const NO_AMOUNT_SHARE = 0.01;

/** Reference id of generated contract number n (1-based); "GEN-" never occurs in PhilGEPS award numbers. */
export function generatedReferenceId(seed: number, n: number): string {
  return `GEN-${seed}-${String(n).padStart(7, '0')}`;
}

/** Area names fit to appear in a title (the real list also has "Aklan, Antique, Capiz, ..." and placeholders). */
function isCleanPlace(name: string): boolean {
  return name.length <= 30 && /^[\p{L} .'-]+$/u.test(name) && !/^(philippines|sample)/i.test(name);
}

/** The stream (createRng) of a seed that the award dates are drawn from. */
const DATE_STREAM = 1;

/** Creates the generator of contracts 1, 2, 3 ... `count` for `seed`, in award-date order. */
export function createContractModel(ref: ReferenceData, seed: number, count: number): () => GeneratedContract {
  const rng = createRng(seed);
  const categoryWeights = ref.categories.map((c) => c.count);
  const categoryThresholds = cumulativeThresholds(categoryWeights);
  // mean of a log-normal is exp(mu + sigma²/2): solve for mu so each category's mean is its real average.
  const mu = Float64Array.from(ref.categories, (c) => Math.log(c.total / c.count) - (AMOUNT_SIGMA * AMOUNT_SIGMA) / 2);
  const sizeScore = createSizeScore(mu, AMOUNT_SIGMA, categoryWeights);
  const contractorOf = createCoupledSampler(ref.contractors, COPULA_RHO.contractors);
  const organizationOf = createCoupledSampler(ref.organizations, COPULA_RHO.organizations);
  const areaOf = createCoupledSampler(ref.areas, COPULA_RHO.areas);
  // The real files cover fewer contracts with an area than with a category: that gap is the share without one.
  const sum = (xs: { count: number }[]) => xs.reduce((s, x) => s + x.count, 0);
  const noAreaShare = Math.max(0, 1 - sum(ref.areas) / sum(ref.categories));
  const cleanPlaces = ref.areas.filter((a) => isCleanPlace(a.name));
  const placeThresholds = cumulativeThresholds(cleanPlaces.map((a) => a.count));
  const placeOfArea = ref.areas.map((a) => (isCleanPlace(a.name) ? a.name : undefined));
  const titleMakers = ref.categories.map((c) => createTitleMaker(c.name));
  const classifications = ref.categories.map((c) => classificationOf(c.name));
  const modeOf = createModeSampler(ref.categories.map((c) => c.name));
  const nextDate = createAscendingDates(createRng(seed, DATE_STREAM), count);
  let n = 0;

  return () => {
    n += 1;
    const category = searchThresholds(categoryThresholds, rng.next());
    const logAmount = mu[category]! + AMOUNT_SIGMA * normalQuantile(rng.next());
    const value = Math.max(1, Math.round(Math.exp(logAmount) * 100) / 100);
    const score = sizeScore(logAmount);
    const contractor = contractorOf(score, normalQuantile(rng.next()));
    const organization = organizationOf(score, normalQuantile(rng.next()));
    const area = rng.next() < noAreaShare ? -1 : areaOf(score, normalQuantile(rng.next()));
    const amount = rng.next() < NO_AMOUNT_SHARE ? null : value.toFixed(2);
    // Approved budget (ABC): usually above the award (bid savings), often equal, rarely below.
    const b = rng.next();
    const budget = b < 0.7 ? value / (1 - 0.2 * rng.next()) : b < 0.97 ? value : value * (0.9 + 0.1 * rng.next());
    const place = (area >= 0 ? placeOfArea[area] : undefined) ?? cleanPlaces[searchThresholds(placeThresholds, rng.next())]!.name;
    const awardDate = nextDate();
    const titles = titleMakers[category]!.make(rng, place, { year: Number(awardDate.slice(0, 4)), month: Number(awardDate.slice(5, 7)) });
    return {
      referenceId: generatedReferenceId(seed, n),
      awardTitle: titles.award,
      noticeTitle: titles.notice,
      contractor,
      organization,
      area,
      category,
      procurementMode: modeOf(rng, category, value),
      classification: classifications[category]!,
      awardStatus: awardStatus(rng),
      amount,
      approvedBudget: (Math.round(budget * 100) / 100).toFixed(2),
      awardDate,
    };
  };
}
