// The three task kinds and how their payloads are validated. Both sides use the same
// engine validation: the producer before queueing (a bad input is a BAD_USER_INPUT error
// and nothing is queued), the worker again before running (a bad payload from another
// producer version fails the task at once instead of being retried).
import {
  normalizeAnalyticsInput,
  normalizeAnalyticsTableInput,
  normalizeSearchInput,
  toAnalyticsInput,
  toAnalyticsTableInput,
  toSearchInput,
} from '../contracts/index.js';
import type { TaskKind, TaskPayloads } from './types.js';

export type KindSpec<K extends TaskKind> = {
  kind: K;
  /** Validates and normalises a raw input; throws ValidationError naming the field. */
  normalize(raw: TaskPayloads[K]): unknown;
  /** The canonical raw input of a normalised one: what travels in the queue. */
  canonical(normalized: unknown): TaskPayloads[K];
};

// The casts bridge the engine's precise Normalized* types and this kind-generic table;
// each pair below is the engine's own normalize/to* pair of one kind.
export const KIND_SPECS: { [K in TaskKind]: KindSpec<K> } = {
  SEARCH: {
    kind: 'SEARCH',
    normalize: (raw) => normalizeSearchInput(raw),
    canonical: (n) => toSearchInput(n as ReturnType<typeof normalizeSearchInput>),
  },
  ANALYTICS: {
    kind: 'ANALYTICS',
    normalize: (raw) => normalizeAnalyticsInput(raw),
    canonical: (n) => toAnalyticsInput(n as ReturnType<typeof normalizeAnalyticsInput>),
  },
  ANALYTICS_TABLE: {
    kind: 'ANALYTICS_TABLE',
    normalize: (raw) => normalizeAnalyticsTableInput(raw),
    canonical: (n) => toAnalyticsTableInput(n as ReturnType<typeof normalizeAnalyticsTableInput>),
  },
};

/** True when `kind` is one of the task kinds. */
export function isTaskKind(kind: unknown): kind is TaskKind {
  return kind === 'SEARCH' || kind === 'ANALYTICS' || kind === 'ANALYTICS_TABLE';
}

/**
 * Re-validates a payload taken from the queue: returns its canonical input, or throws
 * (ValidationError for a bad input, TypeError for a payload that is not even shaped like one).
 */
export function parsePayload<K extends TaskKind>(kind: K, payload: unknown): TaskPayloads[K] {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new TypeError('the task input is not an object');
  }
  const spec = KIND_SPECS[kind] as KindSpec<K>;
  return spec.canonical(spec.normalize(payload as TaskPayloads[K]));
}
