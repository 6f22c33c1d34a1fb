// The query engine's public surface: what the worker and the synchronous GraphQL queries
// call. Knows PostgreSQL (through Prisma) and nothing of GraphQL, Redis or queues.
export { searchContracts } from './search.js';
export { contractAnalytics } from './analytics.js';
export { analyticsTable } from './analytics-table.js';
export { filterOptions } from './filter-options.js';
export {
  normalizeSearchInput,
  normalizeAnalyticsInput,
  normalizeAnalyticsTableInput,
  normalizeFilterOptionsInput,
  normalizeFilter,
  toSearchInput,
  toAnalyticsInput,
  toAnalyticsTableInput,
  toContractFilter,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  DEFAULT_TOP_N,
  MAX_TOP_N,
  DEFAULT_OPTIONS_LIMIT,
  MAX_OPTIONS_LIMIT,
  type NormalizedFilterOptionsInput,
} from './normalize.js';
export { MAX_CHIPS_PER_DIMENSION, MAX_CHIP_LENGTH, MAX_CHIP_PARTS } from './chips.js';
export { MAX_ENTITIES, MAX_ENTITY_NAME_LENGTH } from './entities.js';
export { MAX_TIME_RANGES } from './time-ranges.js';
export * from './types.js';
