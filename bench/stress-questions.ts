// Realistic, deterministic question mixes for the stress test: chips that real users
// type (places, categories, keywords, years), so some questions repeat (cache hits)
// and most do not.

export type StressKind = 'search' | 'analytics' | 'table' | 'mixed';
export type Question = { kind: 'search' | 'analytics' | 'table'; input: Record<string, unknown> };

const KEYWORDS = ['road', 'construction', 'concreting', 'drugs', 'catering', 'toner', 'flood control', 'school building', 'medicines', 'office supplies', 'rehabilitation', 'water system'];
const AREAS = ['Metro Manila', 'Leyte', 'Iloilo', 'Cebu', 'Pangasinan', 'Albay', 'Davao', 'Bulacan', 'Camarines Sur', 'Negros'];
const CATEGORIES = ['Construction Projects', 'Drugs and Medicines', 'Office Supplies', 'Catering Services', 'Construction Materials'];
const DIMENSIONS = ['CONTRACTOR', 'ORGANIZATION', 'AREA', 'BUSINESS_CATEGORY'];
const SORTS = ['AWARD_DATE', 'AMOUNT', 'AWARD_TITLE'];

/** Small deterministic PRNG (mulberry32): the same seed and index give the same question. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns question number `i` of the mix for `kind` and `seed`. */
export function buildQuestion(kind: StressKind, seed: number, i: number): Question {
  const r = rng(seed * 1_000_003 + i);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const k = kind === 'mixed' ? pick(['search', 'analytics', 'table'] as const) : kind;
  const filters: Record<string, unknown> = {};
  if (r() < 0.7) filters.keywords = [pick(KEYWORDS)];
  if (r() < 0.4) filters.areas = [pick(AREAS)];
  if (r() < 0.3) filters.businessCategories = [pick(CATEGORIES)];
  if (r() < 0.6) filters.timeRanges = [{ year: 2013 + Math.floor(r() * 13) }];
  if (r() < 0.2) filters.minAmount = pick([100_000, 1_000_000, 10_000_000]);
  if (k === 'search') {
    return { kind: k, input: { filters, page: 1 + Math.floor(r() * 3), pageSize: 20, sortBy: pick(SORTS), sortDirection: pick(['ASC', 'DESC']) } };
  }
  if (k === 'analytics') return { kind: k, input: { filters, topN: pick([5, 10, 20]) } };
  return { kind: k, input: { filters, dimension: pick(DIMENSIONS), page: 1 + Math.floor(r() * 2), pageSize: 20 } };
}
