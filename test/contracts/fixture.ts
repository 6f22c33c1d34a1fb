// A small hand-built data set whose every expected answer is worked out by hand in the
// tests. Names carry the awkward cases: a literal %, _ and \, a non-ASCII letter, a
// contractor without contracts, a category name that also contains "petro", and for exact
// (entity) filters names that are prefixes, suffixes and case variants of others:
// 'ABC CONSTRUCTION' / 'ABC CONSTRUCTION & SUPPLY' / 'NEW ABC CONSTRUCTION' / 'Abc Construction',
// 'CITY OF MANILA' / 'City of Manila', 'Leyte' / 'Southern Leyte' (C25..C29, all in 2022).
import { refreshContractSearch } from '../../src/data/contract-search.js';
import { refreshRollups } from '../../src/data/rollups.js';
//
// Default search order (award date DESC, reference ASC) of all 29 contracts:
//   C24 C23 C21 C22 C20 C19 C18 C17 C12 C13 C14 C15 C16 C11 C10 C09 C08 C07 C06 C05 C04 C03 C02 C01
//   C28 C29 C26 C27 C25
import { afterAll, beforeAll } from 'vitest';
import { refreshDimensionStats } from '../../src/data/stats.js';
import { datasetFactsSql } from '../../src/db/dataset.js';
import { createTestDatabase, withClient, type TestDatabase } from '../helpers/db.js';

export const CONTRACTORS = [
  [1, 'PETRON CORPORATION'],
  [2, 'PETROL EXPRESS INC.'],
  [3, 'ACME 100% BUILDERS'],
  [4, 'A_B TRADING'],
  [5, 'AXB TRADING'],
  [6, 'BACK\\SLASH SUPPLY'],
  [7, 'MUÑOZ ENTERPRISES'],
  [8, 'IDLE VENTURES'],
  [9, 'ABC CONSTRUCTION'],
  [10, 'ABC CONSTRUCTION & SUPPLY'],
  [11, 'Abc Construction'],
  [12, 'NEW ABC CONSTRUCTION'],
] as const;
export const ORGANIZATIONS = [
  [1, 'DEPARTMENT OF PUBLIC WORKS AND HIGHWAYS'],
  [2, 'CITY OF MANILA'],
  [3, 'PROVINCE OF LEYTE'],
  [4, 'City of Manila'],
] as const;
export const AREAS = [
  [1, 'Metro Manila'],
  [2, 'Leyte'],
  [3, 'Nueva Ecija'],
  [4, 'Southern Leyte'],
] as const;
export const CATEGORIES = [
  [1, 'Construction Projects'],
  [2, 'Petroleum Products'],
  [3, 'Medical Supplies'],
  [4, 'Office Supplies'],
] as const;

type Row = [ref: string, award: string, notice: string | null, contractor: number, organization: number, area: number | null, category: number, amount: string | null, date: string];

export const CONTRACTS: Row[] = [
  ['C01', 'ROAD CONCRETING, BARANGAY SAN ISIDRO', 'Concreting of farm-to-market road', 1, 1, 1, 1, '1000000.00', '2023-01-15'],
  ['C02', 'SUPPLY OF DIESEL FUEL', null, 1, 2, 1, 2, '250000.50', '2023-04-10'],
  ['C03', 'SUPPLY OF GASOLINE', 'Fuel supply for city vehicles', 2, 2, 2, 2, '120000.00', '2023-04-30'],
  ['C04', 'ROAD REPAIR', 'Concreting works, phase 2', 3, 1, 2, 1, '5000000.00', '2023-07-01'],
  ['C05', 'ASPHALT OVERLAY', 'Road widening', 3, 1, null, 1, null, '2023-09-30'],
  ['C06', 'ANTIBIOTICS', null, 7, 3, 2, 3, '75000.25', '2023-10-01'],
  ['C07', 'LABORATORY REAGENTS', 'Reagents at 50% discount', 4, 3, 3, 3, '30000.00', '2023-12-31'],
  ['C08', 'TONER CARTRIDGES', 'Office supplies', 5, 2, 1, 4, '30000.00', '2024-01-01'],
  ['C09', 'BOND PAPER', null, 6, 2, 1, 4, null, '2024-02-29'],
  ['C10', 'FLOOD CONTROL STRUCTURE', 'Flood control, road side', 1, 1, 3, 1, '8000000.00', '2024-03-31'],
  ['C11', 'DIESEL FOR GENERATORS', null, 2, 3, 2, 2, '99999.99', '2024-04-01'],
  ['C12', 'MEDICAL OXYGEN', null, 7, 3, null, 3, '45000.00', '2024-06-15'],
  ['C13', 'SURGICAL MASKS', null, 7, 3, 2, 3, '45000.00', '2024-06-15'],
  ['C14', 'PRINTER INK', 'ink_jet cartridges', 4, 2, 1, 4, '45000.00', '2024-06-15'],
  ['C15', 'STEEL BARS FOR ROAD', null, 3, 1, 1, 1, null, '2024-06-15'],
  ['C16', 'OFFICE CHAIRS', null, 5, 2, null, 4, '45000.00', '2024-06-15'],
  ['C17', 'BRIDGE REHABILITATION', 'Concreting of bridge approach', 3, 1, 2, 1, '2500000.00', '2024-09-30'],
  ['C18', 'LUBRICANTS', null, 1, 2, 1, 2, '60000.00', '2024-10-01'],
  ['C19', 'VACCINE REFRIGERATOR', null, 7, 3, 2, 3, '300000.00', '2024-12-31'],
  ['C20', 'CONCRETE BARRIERS', 'road safety', 2, 1, 3, 1, '750000.00', '2025-01-01'],
  ['C21', 'OFFICE SUPPLIES', null, 6, 3, 3, 4, '12500.75', '2025-02-14'],
  ['C22', 'ROAD CONCRETING PHASE 2', null, 3, 1, 2, 1, '3000000.00', '2025-02-14'],
  ['C23', 'FUEL', 'diesel and gasoline', 2, 2, 1, 2, '0.00', '2025-03-01'],
  ['C24', 'HOSPITAL BEDS', null, 7, 3, 2, 3, null, '2025-06-30'],
  ['C25', 'SCHOOL BUILDING', null, 9, 4, 4, 1, '2000.00', '2022-03-15'],
  ['C26', 'DRAINAGE CANAL', 'Drainage, phase 1', 10, 2, 2, 1, '4000.00', '2022-05-20'],
  ['C27', 'MULTI-PURPOSE HALL', null, 11, 4, null, 1, null, '2022-05-20'],
  ['C28', 'PERIMETER FENCE', null, 12, 1, 4, 1, '800.00', '2022-11-30'],
  ['C29', 'CLASSROOM REPAIR', null, 9, 2, 2, 1, '1500.00', '2022-11-30'],
];

/** Every reference in the default search order (award date DESC, reference ASC). */
export const DEFAULT_ORDER = ['C24', 'C23', 'C21', 'C22', 'C20', 'C19', 'C18', 'C17', 'C12', 'C13', 'C14', 'C15', 'C16', 'C11', 'C10', 'C09', 'C08', 'C07', 'C06', 'C05', 'C04', 'C03', 'C02', 'C01', 'C28', 'C29', 'C26', 'C27', 'C25'];

/** Inserts the fixture (dimension rows with fixed ids, then contracts) and refreshes the counters, the dataset facts and the rollups (as every load does). */
export async function loadFixture(t: Pick<TestDatabase, 'prisma' | 'url'>): Promise<void> {
  const db = t.prisma;
  const dims: [string, readonly (readonly [number, string])[]][] = [
    ['contractors', CONTRACTORS],
    ['organizations', ORGANIZATIONS],
    ['areas', AREAS],
    ['business_categories', CATEGORIES],
  ];
  for (const [table, rows] of dims) {
    for (const [id, name] of rows) {
      await db.$executeRawUnsafe(`INSERT INTO ${table} (id, name) VALUES ($1, $2)`, id, name);
    }
  }
  for (const [ref, award, notice, contractor, organization, area, category, amount, date] of CONTRACTS) {
    await db.$executeRaw`
      INSERT INTO contracts (reference_id, award_title, notice_title, contractor_id, organization_id, area_id,
                             business_category_id, procurement_mode, amount, approved_budget, award_date)
      VALUES (${ref}, ${award}, ${notice}, ${contractor}::int, ${organization}::int, ${area}::int, ${category}::int,
              'Public Bidding', ${amount}::numeric, ${amount}::numeric, ${date}::date)`;
  }
  await refreshCounters(t.url);
  await db.$executeRawUnsafe(datasetFactsSql('contracts'));
  await rebuildRollups(t.url);
}

/**
 * Rebuilds what every load derives from the contracts as they are now: their keyword table
 * (contract_search) and the rollups, valid for the current dataset version.
 */
export async function rebuildRollups(url: string): Promise<void> {
  await withClient(url, refreshContractSearch);
  await withClient(url, refreshRollups);
}

/** Recomputes contract_count / total_value of the dimension tables with the loaders' own refreshDimensionStats. */
export async function refreshCounters(databaseUrl: string): Promise<void> {
  await withClient(databaseUrl, refreshDimensionStats);
}

/**
 * A database of its own with the fixture for the calling test file: created before its
 * tests, dropped after them. Its `prisma` and `url` are readable once the tests run.
 */
export function useFixtureDatabase(label: string): Pick<TestDatabase, 'prisma' | 'url'> {
  let t: TestDatabase | undefined;
  beforeAll(async () => {
    t = await createTestDatabase(label);
    await loadFixture(t);
  });
  afterAll(async () => t?.drop());
  const current = () => {
    if (!t) throw new Error('the fixture database exists only while the tests run');
    return t;
  };
  return {
    get prisma() {
      return current().prisma;
    },
    get url() {
      return current().url;
    },
  };
}

/** Reference ids of a list of contracts, for compact assertions. */
export function refs(contracts: { referenceId: string }[]): string[] {
  return contracts.map((c) => c.referenceId);
}
