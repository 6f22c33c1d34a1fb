// Differential test: the engine (rollups, chip resolution, temporary tables, page tricks)
// against plain reference queries over the contracts table joined to its names, for random
// filters (deterministic seed) over generated data — and again after an import adds
// contracts, and after a re-seed replaces them. Any fast path that drifts from a plain scan
// shows up here.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyticsTable,
  contractAnalytics,
  normalizeFilter,
  searchContracts,
  type AggregateSortField,
  type ContractFilter,
  type ContractSortField,
  type Dimension,
  type SortDirection,
} from '../../src/contracts/index.js';
import { loadMonthCells, monthCellsState } from '../../src/contracts/month-cells.js';
import { generateContracts } from '../../src/data/generate.js';
import { createPrisma, type Db } from '../../src/db/prisma.js';
import { importAwardFiles } from '../../src/data/import.js';
import { createRng, type Rng } from '../../src/data/random.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { rebuildRollups } from './fixture.js';
import { SAMPLE_CSV } from '../data/csv.js';

let t: TestDatabase;
let pool: pg.Pool;
/** A second engine connection whose month rollup cells are held in memory (src/contracts/month-cells.ts), as in the API and workers. */
let cellsDb: Db;
/** Lower-cased names per chip dimension, to cut chips from. */
let names: Record<'contractors' | 'organizations' | 'areas' | 'businessCategories', string[]>;
/** Exact names per dimension, to drill down to (entities). */
let exactNames: Record<Dimension, string[]>;

beforeAll(async () => {
  t = await createTestDatabase('engine_differential');
  pool = new pg.Pool({ connectionString: t.url, max: 2 });
  pool.on('error', (err) => console.warn(`differential test pool: idle connection lost: ${err.message}`));
  await generateContracts(t.url, { contracts: 10_000, seed: 11 });
  await readNames();
  cellsDb = createPrisma(t.url, { max: 2 });
}, 300_000);
afterAll(async () => {
  await cellsDb?.$disconnect();
  await pool?.end();
  await t?.drop();
});

async function readNames(): Promise<void> {
  const read = async (table: string) =>
    (await pool.query<{ name: string }>(`SELECT lower(name) AS name FROM ${table} WHERE contract_count > 0 ORDER BY contract_count DESC, name LIMIT 300`)).rows.map((r) => r.name);
  names = { contractors: await read('contractors'), organizations: await read('organizations'), areas: await read('areas'), businessCategories: await read('business_categories') };
  const exact = async (table: string) =>
    (await pool.query<{ name: string }>(`SELECT name FROM ${table} WHERE contract_count > 0 ORDER BY contract_count DESC, name LIMIT 100`)).rows.map((r) => r.name);
  exactNames = { CONTRACTOR: await exact('contractors'), ORGANIZATION: await exact('organizations'), AREA: [...(await exact('areas')), '(unspecified)'], BUSINESS_CATEGORY: await exact('business_categories') };
}

// ---- random filters

const KEYWORDS = ['road', 'drugs', 'supply', 'construction', 'barangay', 'lot', 'office && supplies', 'flood control', 'catering', 'pr ', '2024', 'brgy.', 'meals'];
const pick = <T,>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)]!;
const pad = (n: number) => String(n).padStart(2, '0');
const randomDate = (rng: Rng) => `${2012 + rng.int(15)}-${pad(1 + rng.int(12))}-${pad(1 + rng.int(28))}`;

/** A piece of a real name (3 to 8 characters), as a user types into a chip. */
function chipOf(rng: Rng, list: string[]): string {
  const name = pick(rng, list);
  const len = 3 + rng.int(6);
  const start = rng.int(Math.max(1, name.length - len));
  const part = name.slice(start, start + len).trim();
  return part.length ? part : name;
}

function randomTimeRanges(rng: Rng): ContractFilter['timeRanges'] {
  return Array.from({ length: 1 + rng.int(2) }, () => {
    const r = rng.next();
    if (r < 0.35) return { year: 2012 + rng.int(15) };
    if (r < 0.55) return { year: 2013 + rng.int(13), quarter: 1 + rng.int(4) };
    const [a, b] = [randomDate(rng), randomDate(rng)].sort();
    if (r < 0.65) return { from: a };
    if (r < 0.72) return { to: b };
    return { from: a, to: b };
  });
}

/** Half the filters restrict only time (what the rollups serve), the rest mix everything. */
function randomFilter(rng: Rng): ContractFilter {
  const f: ContractFilter = {};
  if (rng.next() < 0.15) return f;
  if (rng.next() < 0.7) f.timeRanges = randomTimeRanges(rng);
  if (rng.next() < 0.45 && f.timeRanges) return f;
  for (const key of ['contractors', 'organizations', 'areas', 'businessCategories'] as const) {
    if (rng.next() < 0.25) f[key] = Array.from({ length: 1 + rng.int(2) }, () => (rng.next() < 0.15 ? `${chipOf(rng, names[key])} && ${chipOf(rng, names[key])}` : chipOf(rng, names[key])));
  }
  if (rng.next() < 0.3) f.keywords = [pick(rng, KEYWORDS), ...(rng.next() < 0.2 ? [pick(rng, KEYWORDS)] : [])];
  if (rng.next() < 0.1) f.entities = Array.from({ length: 1 + rng.int(2) }, () => {
    const dimension = pick(rng, DIMS);
    return { dimension, name: pick(rng, exactNames[dimension]) };
  });
  if (rng.next() < 0.2) f.minAmount = Math.round(10 ** (3 + rng.next() * 4));
  if (rng.next() < 0.15) f.maxAmount = (f.minAmount ?? 0) + Math.round(10 ** (4 + rng.next() * 4));
  return f;
}

/** Time ranges alone, mostly arbitrary dates: what the month cells serve. */
function rangeFilter(rng: Rng): ContractFilter {
  return { timeRanges: Array.from({ length: 1 + rng.int(2) }, () => {
    const [a, b] = [randomDate(rng), randomDate(rng)].sort();
    return rng.next() < 0.8 ? { from: a, to: b } : { year: 2013 + rng.int(13), quarter: 1 + rng.int(4) };
  }) };
}

/** A chip of one dimension (or an exact name) with arbitrary days as time ranges, some of one day: the contract columns' scan and its edges. */
function chipRangeFilter(rng: Rng): ContractFilter {
  const f: ContractFilter = rangeFilter(rng);
  if (rng.next() < 0.3) {
    const day = randomDate(rng);
    f.timeRanges = [...(f.timeRanges ?? []), { from: day, to: day }];
  }
  if (rng.next() < 0.25) {
    const dimension = pick(rng, DIMS);
    f.entities = [{ dimension, name: pick(rng, exactNames[dimension]) }];
  } else {
    const key = pick(rng, ['contractors', 'organizations', 'areas', 'businessCategories'] as const);
    f[key] = [chipOf(rng, names[key])];
  }
  return f;
}

/**
 * A cent either side of a boundary whose hundredfold is not exact in doubles (19999.99 * 100
 * is 1999998.9999999998): an amount equal to the bound must still match it, as in PostgreSQL.
 */
const INEXACT_BOUNDS = [19999.99, 20000.01, 69999.99, 70000.01, 79999.99, 80000.01];

/** Boundaries of the amount buckets (one significant digit), a cent either side, or anything. */
function amountBound(rng: Rng): number {
  const boundary = (1 + rng.int(9)) * 10 ** (2 + rng.int(7));
  const r = rng.next();
  if (r < 0.4) return boundary;
  if (r < 0.55) return Math.round((boundary + (rng.next() < 0.5 ? -0.01 : 0.01)) * 100) / 100;
  if (r < 0.7) return pick(rng, INEXACT_BOUNDS);
  return Math.round(10 ** (2 + rng.next() * 7) * 100) / 100;
}

/** An amount range with chips of at most one dimension, over all time: what the amount rollups serve. */
function amountFilter(rng: Rng): ContractFilter {
  const f: ContractFilter = {};
  const r = rng.next();
  if (r < 0.7) f.minAmount = amountBound(rng);
  if (r > 0.3) f.maxAmount = Math.max(f.minAmount ?? 0, amountBound(rng));
  const key = pick(rng, ['contractors', 'organizations', 'areas', 'businessCategories', null] as const);
  if (key) f[key] = Array.from({ length: 1 + rng.int(2) }, () => chipOf(rng, names[key]));
  return f;
}

/** Business-category chips alone, over all time: what the category pair rollups serve. */
function categoryFilter(rng: Rng): ContractFilter {
  return { businessCategories: Array.from({ length: 1 + rng.int(2) }, () => chipOf(rng, names.businessCategories)) };
}

// ---- reference queries: plain SQL over contracts and its names

const FROM = `FROM contracts c JOIN contractors ct ON ct.id = c.contractor_id JOIN organizations o ON o.id = c.organization_id
  LEFT JOIN areas a ON a.id = c.area_id JOIN business_categories bc ON bc.id = c.business_category_id`;
const LABEL: Record<Dimension, string> = { CONTRACTOR: 'ct.name', ORGANIZATION: 'o.name', AREA: "COALESCE(a.name, '(unspecified)')", BUSINESS_CATEGORY: 'bc.name' };

/** WHERE clause and parameters of a filter, with the API's semantics written out plainly. */
function referenceWhere(filter: ContractFilter): { where: string; params: unknown[] } {
  const f = normalizeFilter(filter);
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  const like = (expr: string, part: string) => `${expr} ILIKE '%' || replace(replace(replace(${p(part)}::text, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`;
  const chips = (list: string[][], match: (part: string) => string) => `(${list.map((parts) => `(${parts.map(match).join(' AND ')})`).join(' OR ')})`;
  const and: string[] = [];
  if (f.contractors.length) and.push(chips(f.contractors, (x) => like('ct.name', x)));
  if (f.organizations.length) and.push(chips(f.organizations, (x) => like('o.name', x)));
  if (f.areas.length) and.push(chips(f.areas, (x) => like('a.name', x)));
  if (f.businessCategories.length) and.push(chips(f.businessCategories, (x) => like('bc.name', x)));
  if (f.keywords.length) and.push(chips(f.keywords, (x) => `(${like('c.award_title', x)} OR ${like('c.notice_title', x)})`));
  // Entities: exact names, OR'ed within a dimension; the area '(unspecified)' is a missing area.
  for (const d of DIMS) {
    const exact = f.entities.filter((e) => e.dimension === d).map((e) => e.name);
    if (!exact.length) continue;
    const column = { CONTRACTOR: 'ct.name', ORGANIZATION: 'o.name', AREA: 'a.name', BUSINESS_CATEGORY: 'bc.name' }[d];
    and.push(`(${column} = ANY(${p(exact)}::text[])${d === 'AREA' && exact.includes('(unspecified)') ? ' OR c.area_id IS NULL' : ''})`);
  }
  if (f.timeRanges.length) {
    and.push(`(${f.timeRanges.map((r) => `(${[r.from ? `c.award_date >= ${p(r.from)}::date` : 'TRUE', r.to ? `c.award_date <= ${p(r.to)}::date` : 'TRUE'].join(' AND ')})`).join(' OR ')})`);
  }
  if (f.minAmount !== null) and.push(`c.amount >= ${p(String(f.minAmount))}::numeric`);
  if (f.maxAmount !== null) and.push(`c.amount <= ${p(String(f.maxAmount))}::numeric`);
  return { where: and.length ? and.join(' AND ') : 'TRUE', params };
}

const SEARCH_ORDER: Record<ContractSortField, string> = {
  AWARD_DATE: 'c.award_date', AMOUNT: 'c.amount', AWARD_TITLE: 'c.award_title', CONTRACTOR: 'ct.name', ORGANIZATION: 'o.name',
};

async function referenceSearch(filter: ContractFilter, sortBy: ContractSortField, dir: SortDirection, page: number, size: number) {
  const { where, params } = referenceWhere(filter);
  const nulls = sortBy === 'AMOUNT' ? ' NULLS LAST' : '';
  const rows = await pool.query<{ reference_id: string }>(
    `SELECT c.reference_id ${FROM} WHERE ${where} ORDER BY ${SEARCH_ORDER[sortBy]} ${dir}${nulls}, c.reference_id ASC LIMIT ${size} OFFSET ${(page - 1) * size}`,
    params,
  );
  const [count] = (await pool.query<{ n: string }>(`SELECT count(*) AS n ${FROM} WHERE ${where}`, params)).rows;
  return { refs: rows.rows.map((r) => r.reference_id), total: Number(count!.n) };
}

async function referenceAnalytics(filter: ContractFilter, topN: number) {
  const { where, params } = referenceWhere(filter);
  const q = async (sql: string) => (await pool.query(sql, params)).rows;
  const [s] = await q(`SELECT count(*) AS n, count(c.amount) AS known, COALESCE(sum(c.amount), 0)::text AS total,
      to_char(min(c.award_date), 'YYYY-MM-DD') AS first, to_char(max(c.award_date), 'YYYY-MM-DD') AS last ${FROM} WHERE ${where}`);
  const count = Number(s.n);
  const totalValue = Number(s.total);
  const periods = async (fmt: string) =>
    (await q(`SELECT to_char(c.award_date, '${fmt}') AS period, count(*) AS n, COALESCE(sum(c.amount), 0)::text AS total ${FROM} WHERE ${where} GROUP BY 1 ORDER BY 1`)).map(
      (r) => ({ period: r.period as string, count: Number(r.n), totalValue: Number(r.total) }),
    );
  const top = async (d: Dimension) =>
    (
      await q(`SELECT ${LABEL[d]} AS label, count(*) AS n, COALESCE(sum(c.amount), 0) AS t,
                      (CASE WHEN count(c.amount) > 0 THEN sum(c.amount) / count(c.amount) ELSE 0 END)::text AS avg
                 ${FROM} WHERE ${where} GROUP BY 1 ORDER BY t DESC, label ASC LIMIT ${topN}`)
    ).map((r) => ({ label: r.label as string, count: Number(r.n), totalValue: Number(r.t), avgValue: Number(r.avg) }));
  if (count === 0) return { summary: { count: 0, totalValue: 0, avgValue: 0, firstAwardDate: null, lastAwardDate: null }, byYear: [], byMonth: [], byContractor: [], byOrganization: [], byArea: [], byCategory: [] };
  return {
    summary: { count, totalValue, avgValue: Number(s.known) > 0 ? totalValue / Number(s.known) : 0, firstAwardDate: s.first as string, lastAwardDate: s.last as string },
    byYear: await periods('YYYY'),
    byMonth: await periods('YYYY-MM'),
    byContractor: await top('CONTRACTOR'),
    byOrganization: await top('ORGANIZATION'),
    byArea: await top('AREA'),
    byCategory: await top('BUSINESS_CATEGORY'),
  };
}

async function referenceTable(filter: ContractFilter, dimension: Dimension, sortBy: AggregateSortField, dir: SortDirection, page: number, size: number) {
  const { where, params } = referenceWhere(filter);
  const key = { TOTAL_VALUE: 'total', COUNT: 'n', AVG_VALUE: 'avg', LABEL: 'label' }[sortBy];
  const rows = (
    await pool.query(
      `WITH g AS (SELECT ${LABEL[dimension]} AS label, count(*) AS n, COALESCE(sum(c.amount), 0) AS total,
                         CASE WHEN count(c.amount) > 0 THEN sum(c.amount) / count(c.amount) ELSE 0 END AS avg
                    ${FROM} WHERE ${where} GROUP BY 1)
       SELECT g.label, g.n, g.total::text AS total_text, g.avg::text AS avg_text, (SELECT count(*) FROM g) AS groups FROM g
        ORDER BY g.${key} ${dir}, g.label ASC LIMIT ${size} OFFSET ${(page - 1) * size}`,
      params,
    )
  ).rows;
  const total = rows.length ? Number(rows[0].groups) : Number((await pool.query(`SELECT count(DISTINCT ${LABEL[dimension]}) AS n ${FROM} WHERE ${where}`, params)).rows[0].n);
  return {
    rows: rows.map((r) => ({ label: r.label as string, count: Number(r.n), totalValue: Number(r.total_text), avgValue: Number(r.avg_text) })),
    total,
  };
}

// ---- the comparison

const SORTS: ContractSortField[] = ['AWARD_DATE', 'AMOUNT', 'AWARD_TITLE', 'CONTRACTOR', 'ORGANIZATION'];
const AGG_SORTS: AggregateSortField[] = ['TOTAL_VALUE', 'COUNT', 'AVG_VALUE', 'LABEL'];
const DIMS: Dimension[] = ['CONTRACTOR', 'ORGANIZATION', 'AREA', 'BUSINESS_CATEGORY'];

/** Compares engine and reference on `n` random filters; returns the filters that differ (empty = all agree) and how many were time-only. */
async function compare(
  seed: number,
  n: number,
  draw: (rng: Rng) => ContractFilter = randomFilter,
  db: Db = t.prisma,
): Promise<{ differing: unknown[]; timeOnly: number; nonEmpty: number }> {
  const rng = createRng(seed);
  const differing: unknown[] = [];
  let timeOnly = 0;
  let nonEmpty = 0;
  for (let i = 0; i < n; i++) {
    const filters = draw(rng);
    const onlyTime = Object.keys(filters).every((k) => k === 'timeRanges');
    if (onlyTime) timeOnly += 1;
    const sortBy = pick(rng, SORTS);
    const dir = pick(rng, ['ASC', 'DESC'] as const);
    const page = 1 + rng.int(2);
    const search = await searchContracts(db, { filters, sortBy, sortDirection: dir, page, pageSize: 10 });
    const refSearch = await referenceSearch(filters, sortBy, dir, page, 10);
    if (refSearch.total > 0) nonEmpty += 1;
    const engineSearch = { refs: search.contracts.map((c) => c.referenceId), total: search.pagination.totalCount };
    if (JSON.stringify(engineSearch) !== JSON.stringify(refSearch)) differing.push({ i, what: 'search', filters, sortBy, dir, page, engine: engineSearch, reference: refSearch });

    const analytics = await contractAnalytics(db, { filters, topN: 5 });
    const refAnalytics = await referenceAnalytics(filters, 5);
    if (JSON.stringify(analytics) !== JSON.stringify(refAnalytics)) differing.push({ i, what: 'analytics', filters, engine: analytics, reference: refAnalytics });

    const dimension = pick(rng, DIMS);
    const aggSort = pick(rng, AGG_SORTS);
    const aggDir = pick(rng, ['ASC', 'DESC'] as const);
    const aggPage = 1 + rng.int(2);
    const table = await analyticsTable(db, { filters, dimension, sortBy: aggSort, sortDirection: aggDir, page: aggPage, pageSize: 10 });
    const refTable = await referenceTable(filters, dimension, aggSort, aggDir, aggPage, 10);
    const engineTable = { rows: table.rows, total: table.pagination.totalCount };
    if (JSON.stringify(engineTable) !== JSON.stringify(refTable)) differing.push({ i, what: 'table', filters, dimension, aggSort, aggDir, aggPage, engine: engineTable, reference: refTable });
  }
  return { differing, timeOnly, nonEmpty };
}

/** Compares time-range filters through the month cells, and checks that the cells answered. */
async function compareWithCells(seed: number, n: number): Promise<unknown[]> {
  const before = monthCellsState(cellsDb).answers;
  const { differing } = await compare(seed, n, rangeFilter, cellsDb);
  expect(monthCellsState(cellsDb).answers).toBeGreaterThan(before + n / 2);
  return differing;
}

/** Compares random filters (chips, entities, keywords, amounts) through the contract columns, and checks that they answered. */
async function compareWithColumns(seed: number, n: number, draw: (rng: Rng) => ContractFilter = randomFilter): Promise<unknown[]> {
  expect(monthCellsState(cellsDb).columns).toBeGreaterThan(0);
  const before = monthCellsState(cellsDb).answers;
  const { differing } = await compare(seed, n, draw, cellsDb);
  expect(monthCellsState(cellsDb).answers).toBeGreaterThan(before + n / 2);
  return differing;
}

const rollupsCurrent = async () =>
  (await pool.query<{ ok: boolean }>('SELECT r.version = d.version AS ok FROM rollup_state r, dataset_state d')).rows[0]!.ok;

describe('the engine equals plain reference queries over the contracts', () => {
  it('for 200 random filters over 10,000 generated contracts', async () => {
    expect(await rollupsCurrent()).toBe(true); // the fast paths are the ones compared
    const { differing, timeOnly, nonEmpty } = await compare(2026, 200);
    expect(differing.slice(0, 3)).toEqual([]);
    // The draw covers both paths and mostly non-empty answers (a test of empty results only would prove little).
    expect(timeOnly).toBeGreaterThan(40);
    expect(nonEmpty).toBeGreaterThan(120);
    // Business-category chips alone (the category pair rollups), drawn on purpose: the mix above has few.
    const categories = await compare(2030, 30, categoryFilter);
    expect(categories.differing.slice(0, 3)).toEqual([]);
    expect(categories.nonEmpty).toBeGreaterThan(20);
    // Time ranges through the in-memory month cells, everything else through the contract columns.
    await loadMonthCells(cellsDb);
    expect((await compareWithCells(2033, 40)).slice(0, 3)).toEqual([]);
    expect(monthCellsState(cellsDb).columns).toBe(10_000);
    expect((await compareWithColumns(2040, 100)).slice(0, 3)).toEqual([]);
    expect((await compareWithColumns(2045, 40, chipRangeFilter)).slice(0, 3)).toEqual([]);
  }, 300_000);

  it('after an import adds contracts (the real sample, 2024)', async () => {
    const summary = await importAwardFiles(t.url, [SAMPLE_CSV]);
    expect(summary.contractsImported).toBeGreaterThan(100);
    expect(await rollupsCurrent()).toBe(true);
    const before = await referenceAnalytics({ timeRanges: [{ year: 2024, quarter: 4 }] }, 5);
    expect(before.summary.count).toBeGreaterThan(summary.contractsImported); // the imported ones are counted
    await readNames();
    expect((await compare(2027, 40)).differing.slice(0, 3)).toEqual([]);
    expect((await compare(2031, 10, categoryFilter)).differing.slice(0, 3)).toEqual([]);
    // The cells loaded before the import are never used after it: SQL answers until the
    // background load (started by the first question) has brought the new ones.
    const oldKey = monthCellsState(cellsDb).key;
    expect((await compare(2034, 10, rangeFilter, cellsDb)).differing.slice(0, 3)).toEqual([]);
    expect((await compare(2043, 10, randomFilter, cellsDb)).differing.slice(0, 3)).toEqual([]); // nor the contract columns
    await loadMonthCells(cellsDb);
    expect(monthCellsState(cellsDb).key).not.toBe(oldKey);
    expect((await compareWithCells(2035, 20)).slice(0, 3)).toEqual([]);
    expect((await compareWithColumns(2041, 30)).slice(0, 3)).toEqual([]);
  }, 300_000);

  it('after a re-seed replaces the generated contracts', async () => {
    await generateContracts(t.url, { contracts: 8_000, seed: 12 });
    expect(await rollupsCurrent()).toBe(true);
    await readNames();
    expect((await compare(2028, 40)).differing.slice(0, 3)).toEqual([]);
    expect((await compare(2032, 10, categoryFilter)).differing.slice(0, 3)).toEqual([]);
    await loadMonthCells(cellsDb);
    expect((await compareWithCells(2036, 20)).slice(0, 3)).toEqual([]);
    // The re-seed replaced the generated contracts and kept the imported ones.
    const [{ n }] = (await pool.query<{ n: string }>('SELECT count(*) AS n FROM contracts')).rows as [{ n: string }];
    expect(monthCellsState(cellsDb).columns).toBe(Number(n));
    expect((await compareWithColumns(2042, 30)).slice(0, 3)).toEqual([]);
  }, 300_000);

  it('for amount ranges, counted from the amount rollups, with amounts on the bucket boundaries', async () => {
    // Contracts on, and a cent either side of, the boundaries the draws use as bounds.
    await pool.query(`
      UPDATE contracts c SET amount = round(((1 + (p.i % 9)) * 10 ^ (2 + (p.i / 9) % 7) + (p.i % 3 - 1) * 0.01)::numeric, 2)
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS i FROM contracts WHERE amount IS NOT NULL ORDER BY id LIMIT 1500) p
       WHERE c.id = p.id`);
    // And ten contracts on each bound whose hundredfold is inexact in doubles.
    await pool.query(`
      UPDATE contracts c SET amount = ($1::numeric[])[1 + p.i % ${INEXACT_BOUNDS.length}]
        FROM (SELECT id, row_number() OVER (ORDER BY id DESC) AS i FROM contracts WHERE amount IS NOT NULL ORDER BY id DESC LIMIT ${10 * INEXACT_BOUNDS.length}) p
       WHERE c.id = p.id`, [INEXACT_BOUNDS.map(String)]);
    await rebuildRollups(t.url); // the keyword table and the rollups, as a load would
    expect(await rollupsCurrent()).toBe(true);
    const sql = await compare(2038, 40, amountFilter);
    expect(sql.differing.slice(0, 3)).toEqual([]);
    expect(sql.nonEmpty).toBeGreaterThan(25);
    // The same through the amount cells in memory.
    await loadMonthCells(cellsDb);
    const before = monthCellsState(cellsDb).answers;
    expect((await compare(2039, 40, amountFilter, cellsDb)).differing.slice(0, 3)).toEqual([]);
    expect(monthCellsState(cellsDb).answers).toBeGreaterThan(before + 10);
    // Exactly those amounts, as either bound: the contract columns' cents bounds against SQL's numeric comparison.
    const exactly: ContractFilter[] = INEXACT_BOUNDS.flatMap((b) => [{ minAmount: b, maxAmount: b }, { maxAmount: b }, { minAmount: b }]);
    let next = 0;
    const onBounds = await compare(2046, exactly.length, () => exactly[next++]!, cellsDb);
    expect(onBounds.differing.slice(0, 3)).toEqual([]);
    expect(onBounds.nonEmpty).toBe(exactly.length);
  }, 300_000);

  it('while the rollups are out of date, by answering from the contracts', async () => {
    await pool.query('UPDATE dataset_state SET version = version + 1');
    await pool.query('UPDATE contract_dimension_totals SET total = total + 1');
    expect(await rollupsCurrent()).toBe(false);
    expect((await compare(2029, 20)).differing.slice(0, 3)).toEqual([]);
    const answers = monthCellsState(cellsDb).answers;
    expect((await compare(2037, 10, rangeFilter, cellsDb)).differing.slice(0, 3)).toEqual([]);
    expect((await compare(2044, 10, randomFilter, cellsDb)).differing.slice(0, 3)).toEqual([]);
    expect(monthCellsState(cellsDb).answers).toBe(answers);
  }, 300_000);
});
