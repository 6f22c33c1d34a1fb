// Rollups marked stale by a migration (as 20261206000100_quarter_rollups does) are not used
// until rebuilt, and a rebuild (npm run db:rollups, or npm start on an existing database)
// brings back rows for every grain, month, quarter, year and all time, that agree with the
// contracts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateContracts } from '../../src/data/generate.js';
import { refreshRollups, rollupsCurrent } from '../../src/data/rollups.js';
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
