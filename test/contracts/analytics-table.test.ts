import { describe, expect, it } from 'vitest';
import { analyticsTable, type AggregateRow, type AnalyticsTableInput } from '../../src/contracts/index.js';
import { rebuildRollups, refreshCounters, useFixtureDatabase } from './fixture.js';

const t = useFixtureDatabase('engine_table');

const row = (label: string, count: number, totalValue: number, avgValue: number): AggregateRow => ({ label, count, totalValue, avgValue });

// Contractors of the fixture; avg = total of known amounts / contracts with a known amount.
const ACME = row('ACME 100% BUILDERS', 5, 10500000, 3500000); // 2 of 5 without an amount
const PETRON = row('PETRON CORPORATION', 4, 9310000.5, 2327500.125);
const PETROL = row('PETROL EXPRESS INC.', 4, 969999.99, 242499.9975);
const MUNOZ = row('MUÑOZ ENTERPRISES', 5, 465000.25, 116250.0625);
const AXB = row('AXB TRADING', 2, 75000, 37500);
const A_B = row('A_B TRADING', 2, 75000, 37500);
const BACKSLASH = row('BACK\\SLASH SUPPLY', 2, 12500.75, 12500.75);
const ABC_SUPPLY = row('ABC CONSTRUCTION & SUPPLY', 1, 4000, 4000);
const ABC = row('ABC CONSTRUCTION', 2, 3500, 1750);
const NEW_ABC = row('NEW ABC CONSTRUCTION', 1, 800, 800);
const ABC_LOWER = row('Abc Construction', 1, 0, 0); // its one contract has no amount
/** Every contractor with contracts, by total value DESC (ties by label). */
const BY_TOTAL = [ACME, PETRON, PETROL, MUNOZ, AXB, A_B, BACKSLASH, ABC_SUPPLY, ABC, NEW_ABC, ABC_LOWER];

/** Labels of the table rows for `over` (contractors, unfiltered, one big page). */
async function labels(over: Partial<AnalyticsTableInput>): Promise<string[]> {
  const r = await analyticsTable(t.prisma, { filters: {}, dimension: 'CONTRACTOR', pageSize: 100, ...over });
  return r.rows.map((x) => x.label);
}

describe('analyticsTable', () => {
  describe('when grouping by contractor with the defaults', () => {
    it('sorts by total value DESC, ties by label, and pages through the groups', async () => {
      const input: AnalyticsTableInput = { filters: {}, dimension: 'CONTRACTOR', pageSize: 3 };
      const p1 = await analyticsTable(t.prisma, input);
      expect(p1).toEqual({
        dimension: 'CONTRACTOR',
        rows: [ACME, PETRON, PETROL],
        pagination: { page: 1, pageSize: 3, totalCount: 11, totalPages: 4, hasNext: true, hasPrevious: false },
      });
      expect((await analyticsTable(t.prisma, { ...input, page: 2 })).rows).toEqual([MUNOZ, AXB, A_B]);
      expect((await analyticsTable(t.prisma, { ...input, page: 3 })).rows).toEqual([BACKSLASH, ABC_SUPPLY, ABC]);
      expect((await analyticsTable(t.prisma, { ...input, page: 4 })).rows).toEqual([NEW_ABC, ABC_LOWER]);
    });
    it('still counts the groups on a page past the end', async () => {
      const r = await analyticsTable(t.prisma, { filters: {}, dimension: 'CONTRACTOR', pageSize: 3, page: 5 });
      expect(r).toEqual({ dimension: 'CONTRACTOR', rows: [], pagination: { page: 5, pageSize: 3, totalCount: 11, totalPages: 4, hasNext: false, hasPrevious: true } });
    });
  });

  describe('when sorting by count, average or label', () => {
    it('breaks ties by label ascending in both directions', async () => {
      expect(await labels({ sortBy: 'COUNT', sortDirection: 'DESC' })).toEqual(
        [ACME, MUNOZ, PETROL, PETRON, ABC, AXB, A_B, BACKSLASH, ABC_SUPPLY, ABC_LOWER, NEW_ABC].map((r) => r.label),
      );
      expect(await labels({ sortBy: 'COUNT', sortDirection: 'ASC' })).toEqual(
        [ABC_SUPPLY, ABC_LOWER, NEW_ABC, ABC, AXB, A_B, BACKSLASH, PETROL, PETRON, ACME, MUNOZ].map((r) => r.label),
      );
      expect(await labels({ sortBy: 'AVG_VALUE', sortDirection: 'DESC' })).toEqual(BY_TOTAL.map((r) => r.label));
      expect(await labels({ sortBy: 'TOTAL_VALUE', sortDirection: 'ASC' })).toEqual(
        [ABC_LOWER, NEW_ABC, ABC, ABC_SUPPLY, BACKSLASH, AXB, A_B, MUNOZ, PETROL, PETRON, ACME].map((r) => r.label),
      );
    });
    it('sorts labels by code point', async () => {
      // A prefix before its extensions; upper case before "_" before lower case.
      const asc = [ABC, ABC_SUPPLY, ACME, AXB, A_B, ABC_LOWER, BACKSLASH, MUNOZ, NEW_ABC, PETROL, PETRON].map((r) => r.label);
      expect(await labels({ sortBy: 'LABEL', sortDirection: 'ASC' })).toEqual(asc);
      expect(await labels({ sortBy: 'LABEL', sortDirection: 'DESC' })).toEqual([...asc].reverse());
    });
  });

  describe('when ties span page boundaries', () => {
    it('splits tied groups by label, never repeating or skipping one', async () => {
      const pages = async (over: Partial<AnalyticsTableInput>, pageSize: number, count: number) => {
        const out: string[][] = [];
        for (let page = 1; page <= count; page++) out.push(await labels({ ...over, page, pageSize }));
        return out;
      };
      // counts: ACME 5, MUÑOZ 5, PETROL 4, PETRON 4, ABC 2, AXB 2, A_B 2, BACK\SLASH 2, ABC & SUPPLY 1, Abc 1, NEW ABC 1
      expect(await pages({ sortBy: 'COUNT', sortDirection: 'DESC' }, 3, 5)).toEqual([
        [ACME.label, MUNOZ.label, PETROL.label],
        [PETRON.label, ABC.label, AXB.label],
        [A_B.label, BACKSLASH.label, ABC_SUPPLY.label],
        [ABC_LOWER.label, NEW_ABC.label],
        [],
      ]);
      expect(await pages({ sortBy: 'COUNT', sortDirection: 'ASC' }, 2, 6)).toEqual([
        [ABC_SUPPLY.label, ABC_LOWER.label],
        [NEW_ABC.label, ABC.label],
        [AXB.label, A_B.label],
        [BACKSLASH.label, PETROL.label],
        [PETRON.label, ACME.label],
        [MUNOZ.label],
      ]);
      expect(await pages({ sortBy: 'AVG_VALUE', sortDirection: 'ASC' }, 1, 8)).toEqual(
        [ABC_LOWER, NEW_ABC, ABC, ABC_SUPPLY, BACKSLASH, AXB, A_B, MUNOZ].map((r) => [r.label]),
      );
    });
  });

  describe('when there is no filter', () => {
    it('gives the same rows as a filter that matches every contract', async () => {
      for (const dimension of ['CONTRACTOR', 'ORGANIZATION', 'AREA', 'BUSINESS_CATEGORY'] as const) {
        const all = await analyticsTable(t.prisma, { filters: {}, dimension, pageSize: 100 });
        const everything = await analyticsTable(t.prisma, { filters: { timeRanges: [{ from: '2000-01-01' }] }, dimension, pageSize: 100 });
        expect(all).toEqual(everything);
      }
    });
    it('ignores rollups of another dataset version', async () => {
      await t.prisma.$executeRaw`UPDATE contract_dimension_totals SET total = total + 100 WHERE dimension = 1`;
      await t.prisma.$executeRaw`UPDATE dataset_state SET version = version + 1`;
      try {
        expect((await analyticsTable(t.prisma, { filters: {}, dimension: 'CONTRACTOR', pageSize: 100 })).rows).toEqual(BY_TOTAL);
      } finally {
        await refreshCounters(t.url);
        await rebuildRollups(t.url);
      }
    });
    // White-box: the unfiltered table does read the rollups when they are current (swapping
    // two names' rows), and computes averages from them.
    it('reads the rollups when they describe the data', async () => {
      await t.prisma.$executeRaw`UPDATE contract_dimension_totals SET n = 5, known = 4, total = 530000.49 WHERE dimension = 4 AND grain = 0 AND id = (SELECT id FROM business_categories WHERE name = 'Office Supplies')`;
      try {
        const r = await analyticsTable(t.prisma, { filters: {}, dimension: 'BUSINESS_CATEGORY' });
        expect(r.rows.find((x) => x.label === 'Office Supplies')).toEqual(row('Office Supplies', 5, 530000.49, 530000.49 / 4));
      } finally {
        await refreshCounters(t.url);
        await rebuildRollups(t.url);
      }
    });
  });

  describe('when grouping by area', () => {
    it('puts contracts without an area under (unspecified)', async () => {
      const r = await analyticsTable(t.prisma, { filters: {}, dimension: 'AREA' });
      expect(r.rows).toEqual([
        row('Leyte', 11, 11145500.24, 1114550.024),
        row('Nueva Ecija', 4, 8792500.75, 2198125.1875),
        row('Metro Manila', 8, 1385000.5, 230833.416666666667), // numeric division, then one conversion
        row('(unspecified)', 4, 90000, 45000),
        row('Southern Leyte', 2, 2800, 1400),
      ]);
      expect(r.pagination.totalCount).toBe(5);
    });
    it('has no (unspecified) row when an area chip filters', async () => {
      const r = await analyticsTable(t.prisma, { filters: { areas: ['LEYTE'] }, dimension: 'AREA' });
      // The chip is a substring: it matches 'Southern Leyte' too.
      expect(r.rows).toEqual([row('Leyte', 11, 11145500.24, 1114550.024), row('Southern Leyte', 2, 2800, 1400)]);
    });
  });

  describe('when filtering', () => {
    it('groups only the matching contracts', async () => {
      const r = await analyticsTable(t.prisma, { filters: { keywords: ['supply', 'supplies'] }, dimension: 'BUSINESS_CATEGORY' });
      // C02, C03 (supply, Petroleum); C08, C21 (supplies, Office).
      expect(r.rows).toEqual([row('Petroleum Products', 2, 370000.5, 185000.25), row('Office Supplies', 2, 42500.75, 21250.375)]);
    });
    it('gives average 0 to a group without any known amount', async () => {
      const r = await analyticsTable(t.prisma, { filters: { timeRanges: [{ year: 2025, quarter: 2 }] }, dimension: 'ORGANIZATION' });
      expect(r.rows).toEqual([row('PROVINCE OF LEYTE', 1, 0, 0)]);
    });
    it('returns no rows and no pages when a chip matches nothing', async () => {
      const r = await analyticsTable(t.prisma, { filters: { organizations: ['nowhere'] }, dimension: 'AREA' });
      expect(r).toEqual({ dimension: 'AREA', rows: [], pagination: { page: 1, pageSize: 20, totalCount: 0, totalPages: 0, hasNext: false, hasPrevious: false } });
    });
  });

  describe('when reporting progress', () => {
    it('reports each step with done never decreasing', async () => {
      const updates: string[] = [];
      await analyticsTable(t.prisma, { filters: { areas: ['leyte'] }, dimension: 'BUSINESS_CATEGORY' }, { onProgress: (u) => updates.push(`${u.done}/${u.total} ${u.message}`) });
      expect(updates).toEqual(['0/2 Matching filter chips to names', '1/2 Grouping contracts by business category', '2/2 Done']);
      const unfiltered: string[] = [];
      await analyticsTable(t.prisma, { filters: {}, dimension: 'AREA' }, { onProgress: (u) => unfiltered.push(`${u.done}/${u.total} ${u.message}`) });
      expect(unfiltered).toEqual(['0/2 Reading the rollups', '1/2 Grouping contracts by area', '2/2 Done']);
    });
  });
});
