// Exact entities (drill-down): names compared exactly and case-sensitively, OR'ed within a
// dimension, AND'ed with everything else, '(unspecified)' for contracts without an area;
// and the drill-down invariant for every bucket and table row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyticsTable,
  contractAnalytics,
  DIMENSIONS,
  searchContracts,
  type AnalyticsResult,
  type Bucket,
  type ContractFilter,
  type Dimension,
  type EntityInput,
} from '../../src/contracts/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { DEFAULT_ORDER, loadFixture, refs } from './fixture.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('engine_entities');
  await loadFixture(t);
});
afterAll(async () => t?.drop());

/** References of every contract matching `filters`, in the default order (award date DESC). */
async function matching(filters: ContractFilter): Promise<string[]> {
  const result = await searchContracts(t.prisma, { filters, pageSize: 500 });
  expect(result.pagination.totalCount).toBe(result.contracts.length);
  return refs(result.contracts);
}

const entity = (dimension: Dimension, name: string): EntityInput => ({ dimension, name });
const contractor = (name: string) => entity('CONTRACTOR', name);

const CHARTS: Record<Dimension, 'byContractor' | 'byOrganization' | 'byArea' | 'byCategory'> = {
  CONTRACTOR: 'byContractor',
  ORGANIZATION: 'byOrganization',
  AREA: 'byArea',
  BUSINESS_CATEGORY: 'byCategory',
};

describe('entities', () => {
  describe('when a name is a prefix, suffix or case variant of others', () => {
    it('matches exactly that name and nothing else', async () => {
      expect(await matching({ entities: [contractor('ABC CONSTRUCTION')] })).toEqual(['C29', 'C25']);
      expect(await matching({ entities: [contractor('ABC CONSTRUCTION & SUPPLY')] })).toEqual(['C26']);
      expect(await matching({ entities: [contractor('Abc Construction')] })).toEqual(['C27']);
      expect(await matching({ entities: [contractor('NEW ABC CONSTRUCTION')] })).toEqual(['C28']);
      expect(await matching({ entities: [entity('ORGANIZATION', 'CITY OF MANILA')] })).toEqual(
        ['C23', 'C18', 'C14', 'C16', 'C09', 'C08', 'C03', 'C02', 'C29', 'C26'],
      );
      expect(await matching({ entities: [entity('ORGANIZATION', 'City of Manila')] })).toEqual(['C27', 'C25']);
      expect(await matching({ entities: [entity('AREA', 'Leyte')] })).toEqual(['C24', 'C22', 'C19', 'C17', 'C13', 'C11', 'C06', 'C04', 'C03', 'C29', 'C26']);
      expect(await matching({ entities: [entity('AREA', 'Southern Leyte')] })).toEqual(['C28', 'C25']);
      // The chip, for contrast, is a case-insensitive substring.
      expect(await matching({ contractors: ['abc construction'] })).toEqual(['C28', 'C29', 'C26', 'C27', 'C25']);
    });
    it('is case-sensitive and not a substring', async () => {
      expect(await matching({ entities: [contractor('abc construction')] })).toEqual([]);
      expect(await matching({ entities: [contractor('ABC')] })).toEqual([]);
      expect(await matching({ entities: [contractor('ABC CONSTRUCTION &')] })).toEqual([]);
      expect(await matching({ entities: [entity('CONTRACTOR', 'CITY OF MANILA')] })).toEqual([]); // an organization's name
    });
    it('ignores whitespace around the name, not inside it', async () => {
      expect(await matching({ entities: [contractor('  ABC CONSTRUCTION\t')] })).toEqual(['C29', 'C25']);
      expect(await matching({ entities: [contractor('ABC  CONSTRUCTION')] })).toEqual([]);
    });
    it('takes %, _ and \\ literally', async () => {
      expect(await matching({ entities: [contractor('A_B TRADING')] })).toEqual(['C14', 'C07']);
      expect(await matching({ entities: [contractor('A%B TRADING')] })).toEqual([]);
      expect(await matching({ entities: [contractor('BACK\\SLASH SUPPLY')] })).toEqual(['C21', 'C09']);
      expect(await matching({ entities: [contractor('MUÑOZ ENTERPRISES')] })).toEqual(['C24', 'C19', 'C12', 'C13', 'C06']);
    });
  });

  describe('when an area is (unspecified)', () => {
    it('selects the contracts without an area', async () => {
      expect(await matching({ entities: [entity('AREA', '(unspecified)')] })).toEqual(['C12', 'C16', 'C05', 'C27']);
      expect(await matching({ entities: [entity('AREA', ' (unspecified) ')] })).toEqual(['C12', 'C16', 'C05', 'C27']);
    });
    it('ORs it with named areas', async () => {
      expect(await matching({ entities: [entity('AREA', 'Southern Leyte'), entity('AREA', '(unspecified)')] })).toEqual(['C12', 'C16', 'C05', 'C28', 'C27', 'C25']);
    });
    it('is only an area: other dimensions compare it as a name', async () => {
      expect(await matching({ entities: [contractor('(unspecified)')] })).toEqual([]);
    });
    it('ANDs it with an area chip, which never matches a missing area', async () => {
      expect(await matching({ areas: ['leyte'], entities: [entity('AREA', '(unspecified)')] })).toEqual([]);
      expect(await matching({ areas: ['leyte'], entities: [entity('AREA', '(unspecified)'), entity('AREA', 'Leyte')] })).toEqual(
        await matching({ entities: [entity('AREA', 'Leyte')] }),
      );
    });
  });

  describe('when combining entities', () => {
    it('ORs entities of one dimension', async () => {
      expect(await matching({ entities: [contractor('ABC CONSTRUCTION'), contractor('NEW ABC CONSTRUCTION'), contractor('nobody')] })).toEqual(['C28', 'C29', 'C25']);
    });
    it('ANDs entities of different dimensions', async () => {
      expect(await matching({ entities: [contractor('ABC CONSTRUCTION'), entity('ORGANIZATION', 'CITY OF MANILA')] })).toEqual(['C29']);
      expect(await matching({ entities: [contractor('ABC CONSTRUCTION'), entity('ORGANIZATION', 'City of Manila')] })).toEqual(['C25']);
      expect(await matching({ entities: [contractor('ABC CONSTRUCTION'), entity('AREA', '(unspecified)')] })).toEqual([]);
    });
    it('ANDs them with the chips of the same dimension', async () => {
      expect(await matching({ contractors: ['abc'], entities: [contractor('ABC CONSTRUCTION')] })).toEqual(['C29', 'C25']);
      expect(await matching({ contractors: ['supply'], entities: [contractor('ABC CONSTRUCTION'), contractor('ABC CONSTRUCTION & SUPPLY')] })).toEqual(['C26']);
      expect(await matching({ contractors: ['petron'], entities: [contractor('ABC CONSTRUCTION')] })).toEqual([]);
    });
    it('ANDs them with chips of other dimensions, keywords, time ranges and amounts', async () => {
      expect(await matching({ organizations: ['manila'], entities: [contractor('ABC CONSTRUCTION')] })).toEqual(['C29', 'C25']);
      expect(await matching({ keywords: ['repair'], entities: [contractor('ABC CONSTRUCTION')] })).toEqual(['C29']);
      expect(await matching({ timeRanges: [{ from: '2022-06-01' }], entities: [contractor('ABC CONSTRUCTION')] })).toEqual(['C29']);
      expect(await matching({ minAmount: 1600, entities: [contractor('ABC CONSTRUCTION')] })).toEqual(['C25']);
      expect(await matching({ minAmount: 0, entities: [contractor('Abc Construction')] })).toEqual([]); // its contract has no amount
    });
    it('does not filter when the list is empty', async () => {
      expect(await matching({ entities: [] })).toEqual(DEFAULT_ORDER);
    });
  });

  describe('when analysing one entity', () => {
    it('gives its exact totals, dates and charts', async () => {
      const r = await contractAnalytics(t.prisma, { filters: { entities: [contractor('ABC CONSTRUCTION')] } });
      expect(r).toEqual({
        summary: { count: 2, totalValue: 3500, avgValue: 1750, firstAwardDate: '2022-03-15', lastAwardDate: '2022-11-30' },
        byYear: [{ period: '2022', count: 2, totalValue: 3500 }],
        byMonth: [
          { period: '2022-03', count: 1, totalValue: 2000 },
          { period: '2022-11', count: 1, totalValue: 1500 },
        ],
        byContractor: [{ label: 'ABC CONSTRUCTION', count: 2, totalValue: 3500, avgValue: 1750 }],
        byOrganization: [
          { label: 'City of Manila', count: 1, totalValue: 2000, avgValue: 2000 },
          { label: 'CITY OF MANILA', count: 1, totalValue: 1500, avgValue: 1500 },
        ],
        byArea: [
          { label: 'Southern Leyte', count: 1, totalValue: 2000, avgValue: 2000 },
          { label: 'Leyte', count: 1, totalValue: 1500, avgValue: 1500 },
        ],
        byCategory: [{ label: 'Construction Projects', count: 2, totalValue: 3500, avgValue: 1750 }],
      });
    });
    it('gives the counterparties of an organization as a table', async () => {
      const r = await analyticsTable(t.prisma, { filters: { entities: [entity('ORGANIZATION', 'City of Manila')] }, dimension: 'CONTRACTOR' });
      expect(r.rows).toEqual([
        { label: 'ABC CONSTRUCTION', count: 1, totalValue: 2000, avgValue: 2000 },
        { label: 'Abc Construction', count: 1, totalValue: 0, avgValue: 0 },
      ]);
      expect(r.pagination.totalCount).toBe(2);
    });
    it('answers empty, with null dates, when the name is unknown', async () => {
      const r = await contractAnalytics(t.prisma, { filters: { entities: [contractor('NOBODY')] } });
      expect(r.summary).toEqual({ count: 0, totalValue: 0, avgValue: 0, firstAwardDate: null, lastAwardDate: null });
      expect(r.byContractor).toEqual([]);
      const table = await analyticsTable(t.prisma, { filters: { entities: [contractor('NOBODY')] }, dimension: 'AREA' });
      expect(table.pagination.totalCount).toBe(0);
    });
  });

  // API.md: for every label of every Bucket or AggregateRow of dimension D, adding
  // { dimension: D, name: label } to the filter gives a summary with exactly that count and total.
  describe.each<[string, ContractFilter]>([
    ['no filter', {}],
    ['a filter of chips, a time range and an amount', { keywords: ['o'], timeRanges: [{ from: '2022-01-01', to: '2024-12-31' }], maxAmount: 5000000 }],
    // One entity per dimension: several entities of one dimension are OR'ed, so adding one of
    // them again would not narrow anything (a drill-down replaces them instead).
    ['an entity and a chip', { contractors: ['a'], entities: [entity('AREA', 'Leyte')] }],
    ['an area entity (unspecified)', { entities: [entity('AREA', '(unspecified)')] }],
  ])('the drill-down invariant, with %s', (_name, filters) => {
    let all: AnalyticsResult;
    beforeAll(async () => {
      all = await contractAnalytics(t.prisma, { filters, topN: 100 });
    });

    it('covers every matching contract with the buckets of each dimension', () => {
      expect(all.summary.count).toBeGreaterThan(0);
      for (const dimension of DIMENSIONS) {
        expect(all[CHARTS[dimension]].reduce((n, b) => n + b.count, 0)).toBe(all.summary.count);
      }
    });

    it.each(DIMENSIONS)('%s: each bucket is exactly what its entity selects', async (dimension) => {
      const buckets: Bucket[] = all[CHARTS[dimension]];
      expect(buckets.length).toBeGreaterThan(0);
      for (const b of buckets) {
        const drilled = { ...filters, entities: [...(filters.entities ?? []), entity(dimension, b.label)] };
        const r = await contractAnalytics(t.prisma, { filters: drilled, topN: 100 });
        expect({ label: b.label, count: r.summary.count, totalValue: r.summary.totalValue }).toEqual({ label: b.label, count: b.count, totalValue: b.totalValue });
        expect(r.summary.avgValue).toBeCloseTo(b.avgValue, 6);
        // The entity's own chart is the bucket itself, to the last digit of the average.
        expect(r[CHARTS[dimension]]).toEqual([b]);
        const page = await searchContracts(t.prisma, { filters: drilled, pageSize: 500 });
        expect(page.pagination.totalCount).toBe(b.count);
      }
    });

    it.each(DIMENSIONS)('%s: each table row equals its bucket and is what its entity selects', async (dimension) => {
      const table = await analyticsTable(t.prisma, { filters, dimension, pageSize: 500 });
      expect(table.rows).toEqual(all[CHARTS[dimension]]);
      for (const row of table.rows) {
        const drilled = { ...filters, entities: [...(filters.entities ?? []), entity(dimension, row.label)] };
        const one = await analyticsTable(t.prisma, { filters: drilled, dimension });
        expect(one.rows).toEqual([row]);
      }
    });
  });
});
