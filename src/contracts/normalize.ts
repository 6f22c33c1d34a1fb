// Validation and normalisation of the engine's inputs, and the way back to a canonical
// raw input. The normalised form is what the engine executes and what task cache keys
// hash (so equal meaning => equal form); to*Input(n) gives a raw input that normalises
// back to exactly n, which is what a task payload carries.
import { ValidationError } from '../errors.js';
import { chipToString, normalizeChips } from './chips.js';
import { normalizeEntities } from './entities.js';
import { normalizeTimeRanges, toTimeRangeInput } from './time-ranges.js';
import {
  AGGREGATE_SORT_FIELDS,
  CONTRACT_SORT_FIELDS,
  DIMENSIONS,
  SORT_DIRECTIONS,
  type AnalyticsInput,
  type AnalyticsTableInput,
  type ContractFilter,
  type Dimension,
  type FilterOptionsInput,
  type NormalizedAnalyticsInput,
  type NormalizedAnalyticsTableInput,
  type NormalizedFilter,
  type NormalizedSearchInput,
  type SearchInput,
} from './types.js';
import { optionalAmount, optionalEnum, optionalInt, requireEnum, requireObject } from './validate.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_TOP_N = 10;
export const MAX_TOP_N = 100;
export const DEFAULT_OPTIONS_LIMIT = 20;
export const MAX_OPTIONS_LIMIT = 100;
export const MAX_SEARCH_LENGTH = 200;

/** Validates and normalises a ContractFilter found at `field` (normally `filters`). */
export function normalizeFilter(raw: unknown, field = 'filters'): NormalizedFilter {
  const f = requireObject(raw, field);
  const minAmount = optionalAmount(f.minAmount, `${field}.minAmount`);
  const maxAmount = optionalAmount(f.maxAmount, `${field}.maxAmount`);
  if (minAmount !== null && maxAmount !== null && minAmount > maxAmount) {
    throw new ValidationError(`${field}.minAmount`, `must not be greater than maxAmount (${maxAmount})`);
  }
  return {
    contractors: normalizeChips(f.contractors, `${field}.contractors`),
    organizations: normalizeChips(f.organizations, `${field}.organizations`),
    areas: normalizeChips(f.areas, `${field}.areas`),
    businessCategories: normalizeChips(f.businessCategories, `${field}.businessCategories`),
    keywords: normalizeChips(f.keywords, `${field}.keywords`),
    timeRanges: normalizeTimeRanges(f.timeRanges, `${field}.timeRanges`),
    minAmount,
    maxAmount,
    entities: normalizeEntities(f.entities, `${field}.entities`),
  };
}

/** Page number: an integer >= 1, default 1 (Number.MAX_SAFE_INTEGER keeps OFFSET exact). */
function normalizePage(v: unknown): number {
  return optionalInt(v, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
}

/** Validates a SearchInput and applies its defaults; throws ValidationError naming the field. */
export function normalizeSearchInput(raw: SearchInput): NormalizedSearchInput {
  const r = requireObject(raw, 'input');
  return {
    filters: normalizeFilter(r.filters),
    page: normalizePage(r.page),
    pageSize: optionalInt(r.pageSize, 'pageSize', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
    sortBy: optionalEnum(r.sortBy, 'sortBy', CONTRACT_SORT_FIELDS, 'AWARD_DATE'),
    sortDirection: optionalEnum(r.sortDirection, 'sortDirection', SORT_DIRECTIONS, 'DESC'),
  };
}

/** Validates an AnalyticsInput and applies its defaults; throws ValidationError naming the field. */
export function normalizeAnalyticsInput(raw: AnalyticsInput): NormalizedAnalyticsInput {
  const r = requireObject(raw, 'input');
  return { filters: normalizeFilter(r.filters), topN: optionalInt(r.topN, 'topN', DEFAULT_TOP_N, 1, MAX_TOP_N) };
}

/** Validates an AnalyticsTableInput and applies its defaults; throws ValidationError naming the field. */
export function normalizeAnalyticsTableInput(raw: AnalyticsTableInput): NormalizedAnalyticsTableInput {
  const r = requireObject(raw, 'input');
  return {
    filters: normalizeFilter(r.filters),
    dimension: requireEnum(r.dimension, 'dimension', DIMENSIONS),
    page: normalizePage(r.page),
    pageSize: optionalInt(r.pageSize, 'pageSize', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
    sortBy: optionalEnum(r.sortBy, 'sortBy', AGGREGATE_SORT_FIELDS, 'TOTAL_VALUE'),
    sortDirection: optionalEnum(r.sortDirection, 'sortDirection', SORT_DIRECTIONS, 'DESC'),
  };
}

export type NormalizedFilterOptionsInput = { dimension: Dimension; search: string; limit: number };

/** Validates a FilterOptionsInput: search trimmed (at most 200 characters), limit 1..100 (default 20). */
export function normalizeFilterOptionsInput(raw: FilterOptionsInput): NormalizedFilterOptionsInput {
  const r = requireObject(raw, 'input');
  let search = '';
  if (r.search !== undefined && r.search !== null) {
    if (typeof r.search !== 'string') throw new ValidationError('search', 'must be a string');
    search = r.search.trim();
    if (search.length > MAX_SEARCH_LENGTH) throw new ValidationError('search', `must be at most ${MAX_SEARCH_LENGTH} characters`);
  }
  return {
    dimension: requireEnum(r.dimension, 'dimension', DIMENSIONS),
    search,
    limit: optionalInt(r.limit, 'limit', DEFAULT_OPTIONS_LIMIT, 1, MAX_OPTIONS_LIMIT),
  };
}

/** The canonical raw filter of a normalised one: every field explicit, chips as text. */
export function toContractFilter(n: NormalizedFilter): Required<ContractFilter> {
  return {
    contractors: n.contractors.map(chipToString),
    organizations: n.organizations.map(chipToString),
    areas: n.areas.map(chipToString),
    businessCategories: n.businessCategories.map(chipToString),
    keywords: n.keywords.map(chipToString),
    timeRanges: n.timeRanges.map(toTimeRangeInput),
    minAmount: n.minAmount,
    maxAmount: n.maxAmount,
    entities: n.entities.map((e) => ({ dimension: e.dimension, name: e.name })),
  };
}

/** Canonical raw SearchInput of `n`: normalizeSearchInput(toSearchInput(n)) deep-equals n. */
export function toSearchInput(n: NormalizedSearchInput): SearchInput {
  return { filters: toContractFilter(n.filters), page: n.page, pageSize: n.pageSize, sortBy: n.sortBy, sortDirection: n.sortDirection };
}

/** Canonical raw AnalyticsInput of `n`: normalizeAnalyticsInput(toAnalyticsInput(n)) deep-equals n. */
export function toAnalyticsInput(n: NormalizedAnalyticsInput): AnalyticsInput {
  return { filters: toContractFilter(n.filters), topN: n.topN };
}

/** Canonical raw AnalyticsTableInput of `n`: normalizeAnalyticsTableInput(toAnalyticsTableInput(n)) deep-equals n. */
export function toAnalyticsTableInput(n: NormalizedAnalyticsTableInput): AnalyticsTableInput {
  return {
    filters: toContractFilter(n.filters),
    dimension: n.dimension,
    page: n.page,
    pageSize: n.pageSize,
    sortBy: n.sortBy,
    sortDirection: n.sortDirection,
  };
}
