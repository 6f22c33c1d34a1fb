// Rollups marked stale by a migration (as 20261206000100_quarter_rollups does) are not used
// until rebuilt, and a rebuild (npm run db:rollups, or npm start on an existing database)
// brings back rows for every grain, month, quarter, year and all time, that agree with the
// contracts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateContracts } from '../../src/data/generate.js';
import type pg from 'pg';
import { loadingColumns } from '../../src/contracts/contract-columns.js';
import { buildRollups, dropRollupStaging, refreshRollups, rollupsCurrent, type RollupOptions } from '../../src/data/rollups.js';
import { bucketOf } from '../../src/data/amount-classes.js';
import { createPooledTestDatabase, withClient, type PooledTestDatabase } from '../helpers/db.js';

let db: PooledTestDatabase;

beforeAll(async () => {
  db = await createPooledTestDatabase('data_rollups', 2);
  await generateContracts(db.url, { contracts: 2000, seed: 3 });
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

/** Per grain: rows whose totals differ from the contracts of their period (0 everywhere when the rollups are right). */
async function disagreements(): Promise<Record<number, number>> {
  const { rows } = await db.pool.query<{ grain: number; off: number }>(`
    WITH truth AS (
      SELECT g.grain, CASE g.grain WHEN 0 THEN DATE '0001-01-01' WHEN 1 THEN date_trunc('year', c.award_date)::date
                                   WHEN 2 THEN date_trunc('month', c.award_date)::date ELSE date_trunc('quarter', c.award_date)::date END AS period,
             c.contractor_id AS id, count(*) AS n, COALESCE(sum(c.amount), 0) AS total
        FROM contracts c, (VALUES (0), (1), (2), (3)) g (grain)
       GROUP BY 1, 2, 3
    )
    SELECT g.grain, count(*) FILTER (WHERE r.n IS DISTINCT FROM t.n OR r.total IS DISTINCT FROM t.total)::int AS off
      FROM truth t FULL JOIN (SELECT * FROM contract_dimension_totals WHERE dimension = 1) r USING (grain, period, id)
      CROSS JOIN LATERAL (SELECT COALESCE(t.grain, r.grain) AS grain) g
     GROUP BY 1 ORDER BY 1`);
  return Object.fromEntries(rows.map((r) => [r.grain, r.off]));
}

/** The staging rollups (and dimension_stats) that buildRollups writes with the options `opts` gives (it may read on the connection), row by row in order; dropped after. */
async function stagedRollups(opts: (client: pg.Client) => RollupOptions | Promise<RollupOptions>): Promise<{ how: string; rows: Record<string, string[]> }> {
  const tables = {
    contract_daily_totals: 'day',
    contract_dimension_totals: 'ctid', // also the same physical order: rows of a period on neighbouring pages
    contract_category_pair_totals: 'ctid',
    contract_amount_totals: 'ctid',
  };
  return withClient(db.url, async (client) =>
    withClient(db.url, async (second) => {
      const how = await buildRollups(client, 'contracts', second, await opts(client));
      const rows: Record<string, string[]> = {};
      for (const [table, order] of Object.entries(tables)) {
        rows[table] = (await client.query<{ r: string }>(`SELECT t::text AS r FROM ${table}_staging t ORDER BY ${order}`)).rows.map((r) => r.r);
      }
      const stats = await client.query<{ r: string }>('SELECT s::text AS r FROM dimension_stats s ORDER BY g, id');
      rows.dimension_stats = stats.rows.map((r) => r.r);
      await dropRollupStaging(client);
      return { how, rows };
    }),
  );
}

describe('rollups', () => {
  it('are current after a seed, with month, quarter, year and all-time rows that agree with the contracts', async () => {
    expect(await withClient(db.url, rollupsCurrent)).toBe(true);
    expect(await disagreements()).toEqual({ 0: 0, 1: 0, 2: 0, 3: 0 });
  });

  it('once marked stale, are not current until rebuilt, and agree again after the rebuild', async () => {
    await db.pool.query('UPDATE rollup_state SET version = 0 WHERE id = 1');
    expect(await withClient(db.url, rollupsCurrent)).toBe(false);
    await withClient(db.url, refreshRollups);
    expect(await withClient(db.url, rollupsCurrent)).toBe(true);
    expect(await disagreements()).toEqual({ 0: 0, 1: 0, 2: 0, 3: 0 });
  });

  it('are the same rows, in the same order, built in memory as in SQL', async () => {
    // Edge cases beside the generated contracts: no area, no amount, negative and tiny
    // amounts, amounts on bucket boundaries, days at the edges of months, quarters and years,
    // a leap day, a day before 2000, and two names with a single contract each.
    await db.pool.query(`
      WITH picked AS (SELECT id, row_number() OVER (ORDER BY id) AS i FROM contracts ORDER BY id LIMIT 400)
      UPDATE contracts c SET
        area_id = CASE WHEN s.i % 5 = 0 THEN NULL ELSE c.area_id END,
        amount = (ARRAY[NULL, -12.34, 0.01, 0, 1, 10, 999999.99, 1000000, 1000000.01, 123456789012.34])[s.i % 10 + 1]::numeric,
        award_date = (ARRAY['1999-12-31', '2000-01-01', '2023-03-31', '2023-04-01', '2023-12-31', '2024-01-01', '2024-02-29', '2024-06-30'])[s.i % 8 + 1]::date
        FROM picked s WHERE c.id = s.id`);
    const { rows: names } = await db.pool.query<{ c: number; o: number }>(`
      SELECT (SELECT max(id) FROM contractors) AS c, (SELECT max(id) FROM organizations) AS o`);
    await db.pool.query(`UPDATE contracts SET contractor_id = $1 WHERE id = (SELECT min(id) FROM contracts)`, [names[0]!.c]);
    await db.pool.query(`UPDATE contracts SET organization_id = $1 WHERE id = (SELECT max(id) FROM contracts)`, [names[0]!.o]);
    const sql = await stagedRollups(() => ({ inMemory: false }));
    const memory = await stagedRollups(() => ({ inMemory: true }));
    expect([sql.how, memory.how]).toEqual(['sql', 'memory']);
    for (const table of Object.keys(sql.rows)) {
      expect(sql.rows[table]!.length, table).toBeGreaterThan(0);
      expect(memory.rows[table], table).toEqual(sql.rows[table]);
    }
    expect(sql.rows.contract_dimension_totals!.some((r) => r.includes('1999-12-31'))).toBe(true);
    // Counted from the columns a seed takes as it loads (loadingColumns): a third of the
    // contracts read back as kept ones, the rest added one by one as a seed adds the ones it
    // generates (in another order: positions, not ids), the same rows again.
    const loaded = await stagedRollups(async (client) => {
      const kept = 'id % 3 = 0';
      const n = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM contracts WHERE ${kept}`)).rows[0]!.n;
      const { rows: added } = await client.query<{ d: string; a: string | null; k: number; o: number; ar: number; b: number }>(
        `SELECT award_date::text AS d, amount::text AS a, contractor_id AS k, organization_id AS o, COALESCE(area_id, 0) AS ar, business_category_id AS b
           FROM contracts WHERE NOT (${kept}) ORDER BY award_date DESC, id`);
      const columns = await loadingColumns(client, 'contracts', kept, n, added.length);
      for (const r of added) columns.add(r.d, r.a, r.k, r.o, r.ar, r.b);
      return { columns: columns.done() };
    });
    expect(loaded.how).toBe('memory');
    for (const table of Object.keys(sql.rows)) expect(loaded.rows[table], table).toEqual(sql.rows[table]);
    // Columns that cannot be held (null) leave it to the SQL build.
    expect((await stagedRollups(() => ({ columns: null }))).how).toBe('sql');
    // And the live rollups, rebuilt in memory, still agree with the contracts.
    await withClient(db.url, refreshRollups);
    expect(await disagreements()).toEqual({ 0: 0, 1: 0, 2: 0, 3: 0 });
  });

  it('count every dimension row\'s contracts per amount bucket, boundaries in their own buckets', async () => {
    // Amounts on boundaries, a cent either side, below 1, and past 10^13 (numeric buckets).
    const special = ['0', '0.99', '1', '1.01', '999999.99', '1000000', '1000000.01', '5000000', '25000000', '10000000000000', '12345678901234.56', '900000000000000000'];
    await db.pool.query(`
      UPDATE contracts c SET amount = v.amount::numeric
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS i FROM contracts ORDER BY id LIMIT 240) p,
             unnest($1::text[]) WITH ORDINALITY v (amount, i)
       WHERE c.id = p.id AND v.i = (p.i % $2) + 1`, [special, special.length]);
    await withClient(db.url, refreshRollups);
    const { rows } = await db.pool.query<{ contractor_id: number; amount: string | null }>('SELECT contractor_id, amount::text FROM contracts');
    const expected = new Map<string, number>();
    const add = (key: string) => expected.set(key, (expected.get(key) ?? 0) + 1);
    for (const r of rows) {
      if (r.amount === null) continue;
      const bucket = bucketOf(Number(r.amount));
      add(`1:${r.contractor_id}:${bucket}`);
      add(`0:0:${bucket}`);
    }
    const actual = await db.pool.query<{ key: string; n: string }>(
      `SELECT dimension || ':' || id || ':' || bucket AS key, n::text FROM contract_amount_totals WHERE dimension IN (0, 1)`,
    );
    expect(new Map(actual.rows.map((r) => [r.key, Number(r.n)]))).toEqual(expected);
    // The special amounts fell in distinct buckets but for 0 and 0.99 (the test covers the boundaries).
    expect(new Set(special.map((a) => bucketOf(Number(a)))).size).toBe(special.length - 1);
  });
});
