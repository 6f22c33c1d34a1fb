import { afterAll, describe, expect, it } from 'vitest';
import {
  filterOptions,
  normalizeAnalyticsInput,
  normalizeAnalyticsTableInput,
  normalizeFilterOptionsInput,
  normalizeSearchInput,
  searchContracts,
  type AnalyticsTableInput,
  type ContractFilter,
  type FilterOptionsInput,
  type SearchInput,
} from '../../src/contracts/index.js';
import { createPrisma } from '../../src/db/prisma.js';
import { ValidationError } from '../../src/errors.js';

/** The ValidationError thrown by `f`, or a failure when it does not throw one. */
function validationError(f: () => unknown): ValidationError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

/** The field named by the error that normalising a search with `filters` throws. */
function filterField(filters: ContractFilter): string {
  return validationError(() => normalizeSearchInput({ filters })).field;
}

const chips = (n: number, length = 5) => Array.from({ length: n }, (_, i) => `${i}`.padStart(length, 'x'));

describe('input validation', () => {
  describe('when a time range is invalid', () => {
    it('names the quarter of the offending range when the quarter is outside 1..4', () => {
      expect(filterField({ timeRanges: [{ year: 2023 }, { year: 2023, quarter: 5 }] })).toBe('filters.timeRanges[1].quarter');
      expect(filterField({ timeRanges: [{ year: 2023, quarter: 0 }] })).toBe('filters.timeRanges[0].quarter');
      expect(filterField({ timeRanges: [{ year: 2023, quarter: 1.5 }] })).toBe('filters.timeRanges[0].quarter');
    });
    it('names the quarter when it comes without a year', () => {
      expect(filterField({ timeRanges: [{ quarter: 2 }] })).toBe('filters.timeRanges[0].quarter');
    });
    it('names the range when it mixes year/quarter with from/to', () => {
      expect(filterField({ timeRanges: [{ year: 2023, from: '2023-01-01' }] })).toBe('filters.timeRanges[0]');
      expect(filterField({ timeRanges: [{ year: 2023, quarter: 1, to: '2023-01-01' }] })).toBe('filters.timeRanges[0]');
      expect(filterField({ timeRanges: [{ year: 2023 }, { quarter: 1, from: '2023-01-01' }] })).toBe('filters.timeRanges[1]');
    });
    it('names the range when it has no bound at all', () => {
      expect(filterField({ timeRanges: [{}] })).toBe('filters.timeRanges[0]');
      expect(filterField({ timeRanges: [{ from: null, to: null }] })).toBe('filters.timeRanges[0]');
    });
    it('names from when from is after to', () => {
      expect(filterField({ timeRanges: [{ from: '2023-02-01', to: '2023-01-31' }] })).toBe('filters.timeRanges[0].from');
    });
    it('names the date that is not a real YYYY-MM-DD calendar date', () => {
      expect(filterField({ timeRanges: [{ from: '2023-02-29' }] })).toBe('filters.timeRanges[0].from');
      expect(filterField({ timeRanges: [{ to: '2023-04-31' }] })).toBe('filters.timeRanges[0].to');
      expect(filterField({ timeRanges: [{ from: '2023-13-01' }] })).toBe('filters.timeRanges[0].from');
      expect(filterField({ timeRanges: [{ from: '2023-1-05' }] })).toBe('filters.timeRanges[0].from');
      expect(filterField({ timeRanges: [{ from: '0000-01-01' }] })).toBe('filters.timeRanges[0].from');
      expect(filterField({ timeRanges: [{ from: '2023-01-01T00:00:00Z' }] })).toBe('filters.timeRanges[0].from');
      expect(normalizeSearchInput({ filters: { timeRanges: [{ from: '2024-02-29' }] } }).filters.timeRanges).toHaveLength(1);
    });
    it('names a year that is not an integer', () => {
      expect(filterField({ timeRanges: [{ year: 2023.5 }] })).toBe('filters.timeRanges[0].year');
    });
    it('names the list when it is not a list', () => {
      expect(filterField({ timeRanges: { year: 2023 } as never })).toBe('filters.timeRanges');
    });
    it('names the list when it has more than 20 ranges, and accepts 20', () => {
      const years = (n: number) => Array.from({ length: n }, (_, i) => ({ year: 2000 + i }));
      expect(filterField({ timeRanges: years(21) })).toBe('filters.timeRanges');
      expect(filterField({ timeRanges: years(10_000) })).toBe('filters.timeRanges');
      expect(normalizeSearchInput({ filters: { timeRanges: years(20) } }).filters.timeRanges).toHaveLength(1); // adjacent years merge
    });
  });

  describe('when amounts are invalid', () => {
    it('names minAmount when it is greater than maxAmount', () => {
      expect(filterField({ minAmount: 10, maxAmount: 9.99 })).toBe('filters.minAmount');
    });
    it('names the negative amount', () => {
      expect(filterField({ minAmount: -1 })).toBe('filters.minAmount');
      expect(filterField({ maxAmount: -0.01 })).toBe('filters.maxAmount');
    });
    it('names the amount that is not a finite number', () => {
      expect(filterField({ minAmount: Number.NaN })).toBe('filters.minAmount');
      expect(filterField({ maxAmount: Number.POSITIVE_INFINITY })).toBe('filters.maxAmount');
      expect(filterField({ minAmount: '5' as never })).toBe('filters.minAmount');
    });
    it('accepts equal bounds', () => {
      expect(normalizeSearchInput({ filters: { minAmount: 5, maxAmount: 5 } }).filters.minAmount).toBe(5);
    });
  });

  describe('when chips break the limits', () => {
    it('names the dimension that has more than 50 chips', () => {
      expect(filterField({ contractors: chips(51) })).toBe('filters.contractors');
      expect(filterField({ keywords: chips(51) })).toBe('filters.keywords');
      expect(normalizeSearchInput({ filters: { contractors: chips(50) } }).filters.contractors).toHaveLength(50);
    });
    it('names the chip that has more than 8 && parts, and accepts 8', () => {
      const parts = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`).join(' && ');
      expect(filterField({ keywords: ['road', parts(9)] })).toBe('filters.keywords[1]');
      expect(filterField({ contractors: [parts(66)] })).toBe('filters.contractors[0]');
      expect(normalizeSearchInput({ filters: { keywords: [parts(8)] } }).filters.keywords[0]).toHaveLength(8);
    });
    it('names the chip that is longer than 200 characters', () => {
      expect(filterField({ keywords: ['a', 'b', 'c', 'x'.repeat(201)] })).toBe('filters.keywords[3]');
      expect(normalizeSearchInput({ filters: { keywords: ['x'.repeat(200)] } }).filters.keywords).toEqual([['x'.repeat(200)]]);
    });
    it('names the chip that is not a string', () => {
      expect(filterField({ areas: ['leyte', 7 as never] })).toBe('filters.areas[1]');
    });
    it('names the filters when they are missing', () => {
      expect(validationError(() => normalizeSearchInput({} as SearchInput)).field).toBe('filters');
    });
  });

  describe('when entities break the limits', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ dimension: 'CONTRACTOR' as const, name: `NAME ${i}` }));
    it('names the list when it has more than 50 entities', () => {
      expect(filterField({ entities: many(51) })).toBe('filters.entities');
      expect(normalizeSearchInput({ filters: { entities: many(50) } }).filters.entities).toHaveLength(50);
    });
    it('names the name that is empty or only whitespace', () => {
      expect(filterField({ entities: [...many(3), { dimension: 'AREA', name: '' }] })).toBe('filters.entities[3].name');
      expect(filterField({ entities: [{ dimension: 'AREA', name: ' \t ' }] })).toBe('filters.entities[0].name');
    });
    it('names the name that is longer than 300 characters (after trimming)', () => {
      expect(filterField({ entities: [...many(1), { dimension: 'ORGANIZATION', name: 'x'.repeat(301) }] })).toBe('filters.entities[1].name');
      expect(normalizeSearchInput({ filters: { entities: [{ dimension: 'AREA', name: ` ${'x'.repeat(300)} ` }] } }).filters.entities[0]!.name).toHaveLength(300);
    });
    it('names a wrong dimension, a missing name and an entity that is not an object', () => {
      expect(filterField({ entities: [{ dimension: 'REGION' as never, name: 'V' }] })).toBe('filters.entities[0].dimension');
      expect(filterField({ entities: [{ dimension: 'AREA' } as never] })).toBe('filters.entities[0].name');
      expect(filterField({ entities: ['Leyte' as never] })).toBe('filters.entities[0]');
      expect(filterField({ entities: 'Leyte' as never })).toBe('filters.entities');
    });
  });

  describe('when paging is invalid', () => {
    it('names page when it is below 1 or not an integer', () => {
      expect(validationError(() => normalizeSearchInput({ filters: {}, page: 0 })).field).toBe('page');
      expect(validationError(() => normalizeSearchInput({ filters: {}, page: 1.5 })).field).toBe('page');
      expect(validationError(() => normalizeAnalyticsTableInput({ filters: {}, dimension: 'AREA', page: -1 })).field).toBe('page');
    });
    it('names pageSize when it is outside 1..500', () => {
      expect(validationError(() => normalizeSearchInput({ filters: {}, pageSize: 0 })).field).toBe('pageSize');
      expect(validationError(() => normalizeSearchInput({ filters: {}, pageSize: 501 })).field).toBe('pageSize');
      expect(validationError(() => normalizeAnalyticsTableInput({ filters: {}, dimension: 'AREA', pageSize: 501 })).field).toBe('pageSize');
      expect(normalizeSearchInput({ filters: {}, pageSize: 500 }).pageSize).toBe(500);
    });
    it('names topN when it is outside 1..100', () => {
      expect(validationError(() => normalizeAnalyticsInput({ filters: {}, topN: 0 })).field).toBe('topN');
      expect(validationError(() => normalizeAnalyticsInput({ filters: {}, topN: 101 })).field).toBe('topN');
      expect(normalizeAnalyticsInput({ filters: {}, topN: 100 }).topN).toBe(100);
    });
  });

  describe('when an enum value is not in its list', () => {
    it('names the field', () => {
      expect(validationError(() => normalizeSearchInput({ filters: {}, sortBy: 'PRICE' as never })).field).toBe('sortBy');
      expect(validationError(() => normalizeSearchInput({ filters: {}, sortDirection: 'UP' as never })).field).toBe('sortDirection');
      const table = (over: Partial<AnalyticsTableInput>) => normalizeAnalyticsTableInput({ filters: {}, dimension: 'AREA', ...over });
      expect(validationError(() => table({ sortBy: 'AMOUNT' as never })).field).toBe('sortBy');
      expect(validationError(() => table({ dimension: 'REGION' as never })).field).toBe('dimension');
      expect(validationError(() => table({ dimension: undefined as never })).field).toBe('dimension');
    });
  });

  describe('when filter options are asked for badly', () => {
    const options = (over: Partial<FilterOptionsInput>) => normalizeFilterOptionsInput({ dimension: 'CONTRACTOR', ...over });
    it('names limit when it is outside 1..100', () => {
      expect(validationError(() => options({ limit: 0 })).field).toBe('limit');
      expect(validationError(() => options({ limit: 101 })).field).toBe('limit');
      expect(options({}).limit).toBe(20);
    });
    it('names search when it is longer than 200 characters', () => {
      expect(validationError(() => options({ search: 'x'.repeat(201) })).field).toBe('search');
    });
    it('names dimension when it is unknown', () => {
      expect(validationError(() => options({ dimension: 'COUNTRY' as never })).field).toBe('dimension');
    });
  });

  describe('when the engine is called with invalid input', () => {
    // A client for a database that does not exist: validation must fail before any connection.
    const db = createPrisma('postgresql://postgres@127.0.0.1:5432/kontrata_engine_never_created');
    afterAll(() => db.$disconnect());

    it('rejects with a BAD_USER_INPUT ValidationError without touching the database', async () => {
      const err = await searchContracts(db, { filters: { minAmount: 5, maxAmount: 1 } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).code).toBe('BAD_USER_INPUT');
      expect((err as ValidationError).field).toBe('filters.minAmount');
      const options = await filterOptions(db, { dimension: 'AREA', limit: 0 }).catch((e: unknown) => e);
      expect((options as ValidationError).field).toBe('limit');
    });
  });
});
