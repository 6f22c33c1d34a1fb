// THE list of task kinds. Everything else about kinds is derived from it: the TaskKind
// type and TASK_KINDS, the payload and result types, the cache-key names, the producer's
// validation and the worker's engine call. Adding a kind is one entry here, one entry in
// src/schema/task-kinds.ts (its GraphQL types and submit mutation) and its engine function.
// The order of the entries is the order in which monitoring lists the kinds.
import {
  analyticsTable,
  contractAnalytics,
  normalizeAnalyticsInput,
  normalizeAnalyticsTableInput,
  normalizeSearchInput,
  searchContracts,
  toAnalyticsInput,
  toAnalyticsTableInput,
  toSearchInput,
} from '../contracts/index.js';
import { exportContracts, normalizeExportInput, toExportInput } from '../exports/index.js';
import { defineTaskKind, type KindTypesOf, type TaskKindDefinition } from './kind-definition.js';

const DEFINITIONS = {
  /** One page of matching contracts (the engine counts, then fetches the page). */
  SEARCH: defineTaskKind({ normalize: normalizeSearchInput, canonical: toSearchInput, run: searchContracts }),
  /** Summary, time series and top-N charts of the matching contracts. */
  ANALYTICS: defineTaskKind({ normalize: normalizeAnalyticsInput, canonical: toAnalyticsInput, run: contractAnalytics }),
  /** One page of per-entity aggregates along a dimension. */
  ANALYTICS_TABLE: defineTaskKind({ normalize: normalizeAnalyticsTableInput, canonical: toAnalyticsTableInput, run: analyticsTable }),
  /** Every matching contract (or every group of a dimension) as a CSV file in EXPORT_DIR; progress is rows written. */
  EXPORT: defineTaskKind({ normalize: normalizeExportInput, canonical: toExportInput, run: exportContracts }),
};

export type TaskKind = keyof typeof DEFINITIONS;
/** The input, normalised input and result types of each kind. */
export type TaskKindTypes = { [K in TaskKind]: KindTypesOf<(typeof DEFINITIONS)[K]> };

/**
 * The registry, typed per kind: `TASK_REGISTRY[kind]` for a generic `kind: K` has K's own
 * types, so code written once for every kind (kinds.ts) stays typed without casts.
 */
export const TASK_REGISTRY: { readonly [K in TaskKind]: TaskKindDefinition<TaskKindTypes[K]> } = DEFINITIONS;

/** Every kind, in registry order. */
export const TASK_KINDS: readonly TaskKind[] = Object.keys(DEFINITIONS) as TaskKind[];
