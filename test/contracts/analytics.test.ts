import { describe, expect, it } from 'vitest';
import { contractAnalytics, type AnalyticsResult } from '../../src/contracts/index.js';
import { rebuildRollups, refreshCounters, useFixtureDatabase } from './fixture.js';

const t = useFixtureDatabase('engine_analytics');

const period = (p: string, count: number, totalValue: number) => ({ period: p, count, totalValue });
/** A bucket of `count` contracts, `known` of them with an amount; the average is numeric division in SQL, hence closeTo. */
const bucket = (label: string, count: number, totalValue: number, known: number) => ({
  label,
  count,
  totalValue,
  avgValue: expect.closeTo(known > 0 ? totalValue / known : 0, 6),
});

// Worked out by hand from test/contracts/fixture.ts (29 contracts, 24 with an amount).
const ALL: AnalyticsResult = {
  summary: { count: 29, totalValue: 21415801.49, avgValue: 21415801.49 / 24, firstAwardDate: '2022-03-15', lastAwardDate: '2025-06-30' },
  byYear: [period('2022', 5, 8300), period('2023', 7, 6475000.75), period('2024', 12, 11169999.99), period('2025', 5, 3762500.75)],
  byMonth: [
    period('2022-03', 1, 2000),
    period('2022-05', 2, 4000),
    period('2022-11', 2, 2300),
    period('2023-01', 1, 1000000),
    period('2023-04', 2, 370000.5),
    period('2023-07', 1, 5000000),
    period('2023-09', 1, 0),
    period('2023-10', 1, 75000.25),
    period('2023-12', 1, 30000),
    period('2024-01', 1, 30000),
    period('2024-02', 1, 0),
    period('2024-03', 1, 8000000),
    period('2024-04', 1, 99999.99),
    period('2024-06', 5, 180000),
    period('2024-09', 1, 2500000),
    period('2024-10', 1, 60000),
    period('2024-12', 1, 300000),
    period('2025-01', 1, 750000),
    period('2025-02', 2, 3012500.75),
    period('2025-03', 1, 0),
    period('2025-06', 1, 0),
  ],
  byContractor: [
    bucket('ACME 100% BUILDERS', 5, 10500000, 3),
    bucket('PETRON CORPORATION', 4, 9310000.5, 4),
    bucket('PETROL EXPRESS INC.', 4, 969999.99, 4),
    bucket('MUÑOZ ENTERPRISES', 5, 465000.25, 4),
    // A tie on total value: label ascending, by code point ("X" < "_").
    bucket('AXB TRADING', 2, 75000, 2),
    bucket('A_B TRADING', 2, 75000, 2),
    bucket('BACK\\SLASH SUPPLY', 2, 12500.75, 1),
    bucket('ABC CONSTRUCTION & SUPPLY', 1, 4000, 1),
    bucket('ABC CONSTRUCTION', 2, 3500, 2),
    bucket('NEW ABC CONSTRUCTION', 1, 800, 1),
    // 11th: 'Abc Construction' (1 contract, no amount) is past the default top 10.
  ],
  byOrganization: [
    bucket('DEPARTMENT OF PUBLIC WORKS AND HIGHWAYS', 9, 20250800, 7),
    bucket('PROVINCE OF LEYTE', 8, 607500.99, 7),
    bucket('CITY OF MANILA', 10, 555500.5, 9),
    bucket('City of Manila', 2, 2000, 1),
  ],
  byArea: [
    bucket('Leyte', 11, 11145500.24, 10),
    bucket('Nueva Ecija', 4, 8792500.75, 4),
    bucket('Metro Manila', 8, 1385000.5, 6),
    bucket('(unspecified)', 4, 90000, 2),
    bucket('Southern Leyte', 2, 2800, 2),
  ],
  byCategory: [
    bucket('Construction Projects', 13, 20258300, 10),
    bucket('Petroleum Products', 5, 530000.49, 5),
    bucket('Medical Supplies', 6, 495000.25, 5),
    bucket('Office Supplies', 5, 132500.75, 4),
  ],
};

describe('contractAnalytics', () => {
  describe('when there is no filter', () => {
    it('summarises every contract and ranks every name by total value', async () => {
      expect(await contractAnalytics(t.prisma, { filters: {} })).toEqual(ALL);
    });
    it('keeps the top N, breaking a tie at the cut by label', async () => {
      const r = await contractAnalytics(t.prisma, { filters: {}, topN: 5 });
      expect(r.byContractor).toEqual(ALL.byContractor.slice(0, 5)); // AXB TRADING in, A_B TRADING out
      expect(r.byArea).toEqual(ALL.byArea);
      expect(r.byYear).toEqual(ALL.byYear);
    });
  });

  describe('when the rollups do not describe the data (the dataset version moved on)', () => {
    it('ignores them and still answers from the contracts', async () => {
      await t.prisma.$executeRaw`UPDATE contract_dimension_totals SET total = total + 1 WHERE dimension = 1`;
      await t.prisma.$executeRaw`UPDATE contract_daily_totals SET n = n + 1`;
      await t.prisma.$executeRaw`UPDATE dataset_state SET version = version + 1`;
      try {
        expect(await contractAnalytics(t.prisma, { filters: {} })).toEqual(ALL);
        expect(await contractAnalytics(t.prisma, { filters: { timeRanges: [{ year: 2024 }] } })).toEqual(await contractAnalytics(t.prisma, { filters: { timeRanges: [{ from: '2024-01-01', to: '2024-12-31' }] } }));
      } finally {
        await refreshCounters(t.url);
        await rebuildRollups(t.url);
      }
    });
  });

  describe('when the rollups describe the data', () => {
    // White-box: shows that unfiltered rankings do come from the rollups (the fast path), by
    // swapping two contractors' all-time rows.
    it('ranks unfiltered contractors from the rollups', async () => {
      await t.prisma.$executeRaw`UPDATE contract_dimension_totals SET n = 4, known = 4, total = 9310000.50 WHERE dimension = 1 AND grain = 0 AND id = (SELECT id FROM contractors WHERE name = 'A_B TRADING')`;
      await t.prisma.$executeRaw`UPDATE contract_dimension_totals SET n = 2, total = 75000 WHERE dimension = 1 AND grain = 0 AND id = (SELECT id FROM contractors WHERE name = 'PETRON CORPORATION')`;
      try {
        const r = await contractAnalytics(t.prisma, { filters: {}, topN: 2 });
        expect(r.byContractor).toEqual([bucket('ACME 100% BUILDERS', 5, 10500000, 3), bucket('A_B TRADING', 4, 9310000.5, 4)]);
      } finally {
        await refreshCounters(t.url);
        await rebuildRollups(t.url);
      }
    });
  });

  describe('when filtering', () => {
    it('summarises and ranks only the matching contracts', async () => {
      const r = await contractAnalytics(t.prisma, { filters: { timeRanges: [{ year: 2023 }] }, topN: 2 });
      expect(r).toEqual({
        summary: { count: 7, totalValue: 6475000.75, avgValue: 6475000.75 / 6, firstAwardDate: '2023-01-15', lastAwardDate: '2023-12-31' },
        byYear: [period('2023', 7, 6475000.75)],
        byMonth: ALL.byMonth.slice(3, 9),
        byContractor: [bucket('ACME 100% BUILDERS', 2, 5000000, 1), bucket('PETRON CORPORATION', 2, 1250000.5, 2)],
        byOrganization: [bucket('DEPARTMENT OF PUBLIC WORKS AND HIGHWAYS', 3, 6000000, 2), bucket('CITY OF MANILA', 2, 370000.5, 2)],
        byArea: [bucket('Leyte', 3, 5195000.25, 3), bucket('Metro Manila', 2, 1250000.5, 2)],
        byCategory: [bucket('Construction Projects', 3, 6000000, 2), bucket('Petroleum Products', 2, 370000.5, 2)],
      });
    });
    it('counts contracts without an area under (unspecified)', async () => {
      const r = await contractAnalytics(t.prisma, { filters: { contractors: ['muñoz'] } });
      expect(r.byArea).toEqual([bucket('Leyte', 4, 420000.25, 3), bucket('(unspecified)', 1, 45000, 1)]);
      expect(r.summary).toEqual({ count: 5, totalValue: 465000.25, avgValue: 465000.25 / 4, firstAwardDate: '2023-10-01', lastAwardDate: '2025-06-30' });
    });
    it('averages 0 when no matching contract has an amount', async () => {
      const r = await contractAnalytics(t.prisma, { filters: { timeRanges: [{ from: '2025-06-01', to: '2025-06-30' }] } });
      expect(r.summary).toEqual({ count: 1, totalValue: 0, avgValue: 0, firstAwardDate: '2025-06-30', lastAwardDate: '2025-06-30' });
      expect(r.byMonth).toEqual([period('2025-06', 1, 0)]);
      expect(r.byContractor).toEqual([{ label: 'MUÑOZ ENTERPRISES', count: 1, totalValue: 0, avgValue: 0 }]);
    });
    it('keeps concurrent calls apart (each materialises its own matches)', async () => {
      const [y2023, y2024, y2025] = await Promise.all(
        [2023, 2024, 2025].map((year) => contractAnalytics(t.prisma, { filters: { timeRanges: [{ year }] } })),
      );
      expect([y2023?.byYear, y2024?.byYear, y2025?.byYear]).toEqual(ALL.byYear.slice(1).map((y) => [y]));
    });
    it('returns empty charts when nothing matches', async () => {
      const empty = { summary: { count: 0, totalValue: 0, avgValue: 0, firstAwardDate: null, lastAwardDate: null }, byYear: [], byMonth: [], byContractor: [], byOrganization: [], byArea: [], byCategory: [] };
      expect(await contractAnalytics(t.prisma, { filters: { contractors: ['nobody'] } })).toEqual(empty);
      expect(await contractAnalytics(t.prisma, { filters: { minAmount: 1e12 } })).toEqual(empty);
    });
  });

  describe('when some amount is too large to be added up in integer cents per contract', () => {
    it('still answers a keyword dashboard exactly (from the temporary table)', async () => {
      // 9e17 pesos: 9e19 cents, past int8; the keyword dashboard's one pass converts each
      // contract's amount to int8 cents, so it must leave such data to the temporary table.
      await t.prisma.$executeRaw`UPDATE contracts SET amount = 900000000000000000.00 WHERE reference_id = 'C04'`;
      await rebuildRollups(t.url);
      try {
        const r = await contractAnalytics(t.prisma, { filters: { keywords: ['road'] } });
        // "road": C01, C04, C05, C10, C15, C20, C22; C05 and C15 without an amount.
        const total = Number('900000000012750000');
        expect(r.summary).toEqual({ count: 7, totalValue: total, avgValue: total / 5, firstAwardDate: '2023-01-15', lastAwardDate: '2025-02-14' });
        expect(r.byYear).toEqual([period('2023', 3, Number('900000000001000000')), period('2024', 2, 8000000), period('2025', 2, 3750000)]);
        expect(r.byContractor[0]).toEqual({ label: 'ACME 100% BUILDERS', count: 4, totalValue: Number('900000000003000000'), avgValue: Number('900000000003000000') / 2 });
      } finally {
        await t.prisma.$executeRaw`UPDATE contracts SET amount = 5000000.00 WHERE reference_id = 'C04'`;
        await rebuildRollups(t.url);
      }
    });
    it('still answers exactly when a group of amounts below that sums past int8 cents', async () => {
      // 9,300 contracts of 9,999,999,999,999.99 pesos (each exact in cents) by one contractor:
      // 9.3e18 cents in that group, past int8 (9.22e18), which the one pass must not cast.
      await t.prisma.$executeRaw`
        INSERT INTO contracts (reference_id, award_title, contractor_id, organization_id, area_id, business_category_id, amount, approved_budget, award_date)
        SELECT 'HUGE-' || i, 'HUGE DREDGING', 8, 1, 1, 1, 9999999999999.99, 9999999999999.99, DATE '2024-05-01' + (i % 30)
          FROM generate_series(1, 9300) i`;
      await rebuildRollups(t.url);
      try {
        const r = await contractAnalytics(t.prisma, { filters: { keywords: ['huge dredging'] } });
        const total = Number(((999999999999999n * 9300n) / 100n).toString()); // 92,999,999,999,999,907 pesos (.00)
        expect(r.summary).toEqual({ count: 9300, totalValue: total, avgValue: total / 9300, firstAwardDate: '2024-05-01', lastAwardDate: '2024-05-30' });
        expect(r.byContractor).toEqual([{ label: 'IDLE VENTURES', count: 9300, totalValue: total, avgValue: expect.closeTo(total / 9300, 0) }]);
      } finally {
        await t.prisma.$executeRaw`DELETE FROM contracts WHERE reference_id LIKE 'HUGE-%'`;
        await rebuildRollups(t.url);
      }
    }, 60_000);
  });

  describe('when reporting progress', () => {
    it('has one step fewer without a filter (nothing to find)', async () => {
      const updates: string[] = [];
      await contractAnalytics(t.prisma, { filters: {} }, { onProgress: (u) => updates.push(`${u.done}/${u.total} ${u.message}`) });
      expect(updates).toEqual([
        '0/5 Totalling contracts by year and month',
        '1/5 Ranking contractors',
        '2/5 Ranking organizations',
        '3/5 Ranking areas',
        '4/5 Ranking business categories',
        '5/5 Done',
      ]);
    });
    it('reports every step once, done never decreasing, ending at total', async () => {
      const updates: { done: number; total: number; message: string }[] = [];
      await contractAnalytics(t.prisma, { filters: { contractors: ['petro'] } }, { onProgress: (u) => updates.push(u) });
      expect(updates.map((u) => u.done)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(new Set(updates.map((u) => u.total))).toEqual(new Set([7]));
      expect(updates.map((u) => u.message)).toEqual([
        'Matching filter chips to names',
        'Finding matching contracts',
        'Totalling contracts by year and month',
        'Ranking contractors',
        'Ranking organizations',
        'Ranking areas',
        'Ranking business categories',
        'Done',
      ]);
    });
    it('still ends at total when a short cut skips the rest', async () => {
      const updates: number[] = [];
      await contractAnalytics(t.prisma, { filters: { minAmount: 1e12 } }, { onProgress: (u) => updates.push(u.done) });
      expect(updates).toEqual([0, 1, 6]);
    });
  });
});
