// The contract columns' load (src/contracts/contract-columns.ts, with the month cells of
// src/contracts/month-cells.ts): what is held, what is not, and a stop that leaves nothing
// waiting in PostgreSQL.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContractColumns } from '../../src/contracts/contract-columns.js';
import { analyticsTable, contractAnalytics, type AnalyticsTableInput } from '../../src/contracts/index.js';
import { loadMonthCells, monthCellsState, ROLLUP_KEY_SQL, startMonthCells, stopMonthCells } from '../../src/contracts/month-cells.js';
import { generateContracts } from '../../src/data/generate.js';
import { createPrisma, type Db } from '../../src/db/prisma.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { rebuildRollups } from './fixture.js';

let t: TestDatabase;
let pool: pg.Pool;
const opened: Db[] = [];
const cellsDb = () => {
  const db = createPrisma(t.url, { max: 3 });
  opened.push(db);
  return db;
};
const quiet = { warn() {}, info() {} };

beforeAll(async () => {
  t = await createTestDatabase('engine_contract_columns');
  await generateContracts(t.url, { contracts: 3_000, seed: 5 });
  pool = new pg.Pool({ connectionString: t.url, max: 3 });
});
afterAll(async () => {
  await Promise.all(opened.map((db) => db.$disconnect()));
  await pool?.end();
  await t?.drop();
});

const contracts = async () => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM contracts')).rows[0]!.n);
const filters = { organizations: ['city'] };
const table: AnalyticsTableInput = { filters: { keywords: ['supply'] }, dimension: 'AREA', sortBy: 'COUNT', sortDirection: 'ASC', pageSize: 5 };

describe('the contract columns', () => {
  it('hold every contract and answer what the SQL path answers', async () => {
    const db = cellsDb();
    await loadMonthCells(db);
    expect(monthCellsState(db).columns).toBe(await contracts());
    const before = monthCellsState(db).answers;
    const dashboard = await contractAnalytics(db, { filters });
    expect(dashboard.summary.count).toBeGreaterThan(150); // a selection the columns scan (not left to SQL as narrow)
    expect(dashboard).toEqual(await contractAnalytics(t.prisma, { filters }));
    expect(await analyticsTable(db, table)).toEqual(await analyticsTable(t.prisma, table));
    expect(monthCellsState(db).answers).toBe(before + 2);
  });

  it('are not held when an amount could make a sum inexact (nor fail on one past int8 cents)', async () => {
    const { rows } = await pool.query<{ id: string; amount: string }>('SELECT id, amount::text FROM contracts WHERE amount IS NOT NULL ORDER BY id LIMIT 1');
    const load = () => loadContractColumns(t.url, ROLLUP_KEY_SQL.text, 'kontrata-cells-test');
    expect((await load()).columns?.count).toBe(await contracts());
    try {
      for (const amount of ['1e14', '1e17']) { // 10^16 cents: past 2^53; 10^19 cents: past int8
        await pool.query('UPDATE contracts SET amount = $2::numeric WHERE id = $1', [rows[0]!.id, amount]);
        await pool.query('UPDATE dataset_state SET version = version + 1');
        await rebuildRollups(t.url);
        const held = await load();
        expect(held.key).not.toBeNull();
        expect(held.columns).toBeNull();
      }
    } finally {
      await pool.query('UPDATE contracts SET amount = $2::numeric WHERE id = $1', [rows[0]!.id, rows[0]!.amount]);
      await pool.query('UPDATE dataset_state SET version = version + 1');
      await rebuildRollups(t.url);
    }
  });

  it('are held after re-seeds that took ids far past the first ones, and not when ids are sparse', async () => {
    const load = () => loadContractColumns(t.url, ROLLUP_KEY_SQL.text, 'kontrata-cells-test');
    // As after many re-seeds: the generated contracts' ids start past 50M.
    await pool.query("SELECT setval(pg_get_serial_sequence('contracts', 'id'), 50000000)");
    await generateContracts(t.url, { contracts: 3_000, seed: 5 });
    const { rows } = await pool.query<{ min: string }>('SELECT min(id) AS min FROM contracts');
    expect(Number(rows[0]!.min)).toBeGreaterThan(50_000_000);
    const held = await load();
    expect(held.columns?.count).toBe(await contracts());
    expect(held.columns?.first).toBe(Number(rows[0]!.min));
    // The answers through them are still the SQL path's.
    const db = cellsDb();
    await loadMonthCells(db);
    expect(monthCellsState(db).columns).toBe(await contracts());
    expect(await contractAnalytics(db, { filters })).toEqual(await contractAnalytics(t.prisma, { filters }));
    expect(await analyticsTable(db, table)).toEqual(await analyticsTable(t.prisma, table));
    // One contract far from the others: sparse.
    const { rows: one } = await pool.query<{ id: string }>('SELECT id FROM contracts ORDER BY id LIMIT 1');
    await pool.query('UPDATE contracts SET id = 10 WHERE id = $1', [one[0]!.id]);
    try {
      expect((await load()).columns).toBeNull();
    } finally {
      await pool.query('UPDATE contracts SET id = $1 WHERE id = 10', [one[0]!.id]);
    }
  });

  it('stop loading when asked, leaving no statement waiting for a lock', async () => {
    const locker = await pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE contracts IN ACCESS EXCLUSIVE MODE'); // as a load's swap holds it
      const db = cellsDb();
      startMonthCells(db, quiet);
      const waiting = () =>
        pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'kontrata-cells-%' AND wait_event_type = 'Lock' AND datname = current_database()`);
      await expect.poll(async () => (await waiting()).rows[0]!.n, { timeout: 10_000 }).toBeGreaterThan(0);
      await stopMonthCells(db);
      expect((await waiting()).rows[0]!.n).toBe(0);
      expect(monthCellsState(db).columns).toBe(0);
      await loadMonthCells(db); // stopped for good: nothing starts
      expect(monthCellsState(db).key).toBeNull();
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
  });
});
