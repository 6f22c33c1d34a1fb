// Cache keys: "<kind>:<sha256 hex>" of the kind, the engine-normalised input and the
// data version. The engine's normalisation (chips trimmed, lower-cased, de-duplicated,
// sorted; defaults applied) makes inputs that mean the same thing equal; the stable
// JSON below makes equal values hash equally whatever their key order.
import { createHash } from 'node:crypto';
import { TASK_KINDS, type TaskKind } from './registry.js';

/** The lower-case kind name used as the cache key's readable part (API.md: "search:3f9c..."). */
export function kindKeyName(kind: TaskKind): string {
  return kind.toLowerCase();
}

/** JSON with object keys sorted at every level, `undefined` members dropped; arrays keep their order. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`Cannot hash non-finite number ${value}`);
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableStringify(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/** Cache key of one question: same kind + same normalised input + same data version => same key. */
export function cacheKeyFor(kind: TaskKind, normalizedInput: unknown, dataVersion: string): string {
  const hash = createHash('sha256').update(stableStringify({ kind, input: normalizedInput, dataVersion })).digest('hex');
  return `${kindKeyName(kind)}:${hash}`;
}

const CACHE_KEY_PATTERN = new RegExp(`^(${TASK_KINDS.map(kindKeyName).join('|')}):[0-9a-f]{64}$`);

/** True when `key` has the shape of a cache key this system produces. */
export function isCacheKey(key: string): boolean {
  return CACHE_KEY_PATTERN.test(key);
}
