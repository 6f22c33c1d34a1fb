// The task-kind registry and what is derived from it: the kinds, their validation on both
// sides of the queue, and the cache keys they may have.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { cacheKeyFor, isCacheKey } from '../../src/tasks/cache-key.js';
import { isTaskKind, parsePayload, prepareTask } from '../../src/tasks/kinds.js';
import { TASK_KINDS, TASK_REGISTRY, type TaskKind, type TaskPayloads } from '../../src/tasks/index.js';

// A question of each kind, written loosely (chips untrimmed and unordered, defaults left out).
const QUESTIONS: { [K in TaskKind]: TaskPayloads[K] } = {
  SEARCH: { filters: { contractors: ['  Petron ', 'megawide'], timeRanges: [{ year: 2023, quarter: 2 }] }, pageSize: 5 },
  ANALYTICS: { filters: { keywords: ['flood control', 'Road && Concreting'] } },
  ANALYTICS_TABLE: { filters: { areas: ['albay'] }, dimension: 'AREA', sortBy: 'COUNT' },
  EXPORT: { filters: { entities: [{ dimension: 'CONTRACTOR', name: ' PETRON CORPORATION ' }], keywords: ['Fuel'] } },
};

describe('task-kind registry', () => {
  it('lists the kinds in the order monitoring shows them', () => {
    expect(TASK_KINDS).toEqual(['SEARCH', 'ANALYTICS', 'ANALYTICS_TABLE', 'EXPORT']);
    expect(Object.keys(TASK_REGISTRY)).toEqual(TASK_KINDS);
  });

  describe('isTaskKind', () => {
    it('accepts exactly the registry\'s kinds', () => {
      for (const kind of TASK_KINDS) expect(isTaskKind(kind)).toBe(true);
      for (const other of ['IMPORT', 'search', 'toString', '__proto__', '', null, 7]) expect(isTaskKind(other)).toBe(false);
    });
  });

  describe.each(TASK_KINDS)('%s', (kind) => {
    it('queues a canonical payload that the worker reads back unchanged, with the same cache key', () => {
      const { normalized, payload } = prepareTask(kind, QUESTIONS[kind]);
      expect(parsePayload(kind, payload)).toEqual(payload);
      const again = prepareTask(kind, payload);
      expect(again.normalized).toEqual(normalized);
      const key = cacheKeyFor(kind, normalized, '1');
      expect(cacheKeyFor(kind, again.normalized, '1')).toBe(key);
      expect(key.startsWith(`${kind.toLowerCase()}:`)).toBe(true);
      expect(isCacheKey(key)).toBe(true);
    });

    it('refuses a payload that is not a valid input', () => {
      expect(() => parsePayload(kind, 'not an object')).toThrow(TypeError);
      expect(() => parsePayload(kind, { filters: { minAmount: -1 } })).toThrow(ValidationError);
    });
  });

  describe('isCacheKey', () => {
    it('refuses a key of a kind that does not exist', () => {
      expect(isCacheKey(`import:${'0'.repeat(64)}`)).toBe(false);
      expect(isCacheKey(`export:${'0'.repeat(64)}`)).toBe(true);
    });
  });
});
