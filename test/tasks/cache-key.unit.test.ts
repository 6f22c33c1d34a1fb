import { describe, expect, it } from 'vitest';
import { cacheKeyFor, isCacheKey, stableStringify } from '../../src/tasks/cache-key.js';

describe('stableStringify', () => {
  describe('when objects have the same members in another order', () => {
    it('gives the same text at every level', () => {
      const a = { b: 1, a: { y: [1, { q: 1, p: 2 }], x: null } };
      const b = { a: { x: null, y: [1, { p: 2, q: 1 }] }, b: 1 };
      expect(stableStringify(a)).toBe(stableStringify(b));
      expect(stableStringify(a)).toBe('{"a":{"x":null,"y":[1,{"p":2,"q":1}]},"b":1}');
    });
  });

  describe('when arrays differ only in order', () => {
    it('keeps them different (ordering chips is the engine\'s normalisation, not the hash\'s)', () => {
      expect(stableStringify([1, 2])).not.toBe(stableStringify([2, 1]));
    });
  });

  describe('when a member is undefined', () => {
    it('drops it like JSON.stringify does', () => {
      expect(stableStringify({ a: 1, b: undefined })).toBe('{"a":1}');
    });
  });

  describe('when a number is not finite', () => {
    it('refuses it instead of hashing it as null', () => {
      expect(() => stableStringify({ a: Number.NaN })).toThrow(TypeError);
    });
  });
});

describe('cacheKeyFor', () => {
  it('is "<kind>:<sha256 hex>" and depends on kind, input and data version', () => {
    const k = cacheKeyFor('ANALYTICS_TABLE', { topN: 10 }, '7');
    expect(k).toMatch(/^analytics_table:[0-9a-f]{64}$/);
    expect(isCacheKey(k)).toBe(true);
    expect(cacheKeyFor('ANALYTICS_TABLE', { topN: 10 }, '7')).toBe(k);
    expect(cacheKeyFor('ANALYTICS', { topN: 10 }, '7')).not.toBe(k.replace('analytics_table', 'analytics'));
    expect(cacheKeyFor('ANALYTICS_TABLE', { topN: 10 }, '8')).not.toBe(k);
    expect(cacheKeyFor('ANALYTICS_TABLE', { topN: 11 }, '7')).not.toBe(k);
  });
});
