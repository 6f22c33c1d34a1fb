// A partitioned table rebuilt by a seed (src/data/table-plan.ts, src/data/staging.ts): its
// partitions come back with their bounds and settings, each index built on every partition
// and adopted by the table's own, under the same names; what a swap could not carry over is
// refused up front.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_PARTITIONS } from '../../src/data/contract-search.js';
import { buildStagingIndexes, createStaging, stagingIndexCount, stagingName, swapInStaging } from '../../src/data/staging.js';
import { readTablePlan, TableSwapUnsupportedError } from '../../src/data/table-plan.js';
import { createPooledTestDatabase, type PooledTestDatabase } from '../helpers/db.js';

let db: PooledTestDatabase;

beforeAll(async () => {
  db = await createPooledTestDatabase('table_plan', 2);
  await db.pool.query(`
    CREATE TABLE pt (id bigint NOT NULL, word text NOT NULL, CONSTRAINT pt_pkey PRIMARY KEY (id)) PARTITION BY HASH (id);
    CREATE TABLE pt_p0 PARTITION OF pt FOR VALUES WITH (MODULUS 2, REMAINDER 0) WITH (parallel_workers = 0);
    CREATE TABLE pt_p1 PARTITION OF pt FOR VALUES WITH (MODULUS 2, REMAINDER 1) WITH (parallel_workers = 0);
    CREATE INDEX pt_word_trgm ON pt USING gin (word gin_trgm_ops);
    ALTER TABLE pt ALTER COLUMN word SET STATISTICS 300;
    COMMENT ON INDEX pt_word_trgm IS 'keywords';
    INSERT INTO pt SELECT g, 'old ' || g FROM generate_series(1, 100) g;`);
}, 60_000);
afterAll(async () => db?.drop());

/** readTablePlan on a connection of the pool. */
async function planOf(table: string) {
  const client = await db.pool.connect();
  try {
    return await readTablePlan(client, table);
  } finally {
    client.release();
  }
}

/** The catalog's view of pt and its partitions: kinds, bounds, settings, statistics targets, indexes, constraints and what each is attached to. */
async function layout(): Promise<unknown[]> {
  const { rows } = await db.pool.query(`
    SELECT c.relname, c.relkind, pg_get_expr(c.relpartbound, c.oid) AS bound, c.reloptions,
           (SELECT attstattarget FROM pg_attribute WHERE attrelid = c.oid AND attname = 'word') AS target,
           (SELECT json_agg(json_build_object('index', ci.relname, 'def', pg_get_indexdef(x.indexrelid), 'comment', obj_description(x.indexrelid, 'pg_class'),
                                              'of', (SELECT inhparent::regclass::text FROM pg_inherits WHERE inhrelid = x.indexrelid)) ORDER BY ci.relname)
              FROM pg_index x JOIN pg_class ci ON ci.oid = x.indexrelid WHERE x.indrelid = c.oid) AS indexes,
           (SELECT json_agg(json_build_object('constraint', k.conname, 'type', k.contype, 'of', (SELECT conname FROM pg_constraint WHERE oid = k.conparentid)) ORDER BY k.conname)
              FROM pg_constraint k WHERE k.conrelid = c.oid) AS constraints
      FROM pg_class c WHERE c.relname IN ('pt', 'pt_p0', 'pt_p1') ORDER BY c.relname`);
  return rows;
}

describe('readTablePlan and the staging swap, for a partitioned table', () => {
  it("reads contract_search's partitions as the engine names them", async () => {
    const plan = await planOf('contract_search');
    expect(plan.partitioning?.key).toBe('HASH (id)');
    expect(plan.partitioning?.partitions.map((p) => p.name)).toEqual([...SEARCH_PARTITIONS]);
  });

  it('rebuilds the table with the same partitions, indexes and constraints, holding the new rows', async () => {
    const before = await layout();
    expect(before).toHaveLength(3);
    const client = await db.pool.connect();
    try {
      const plan = await readTablePlan(client, 'pt');
      expect(stagingIndexCount([plan])).toBe(4); // two indexes on each of two partitions
      await client.query('BEGIN');
      await createStaging(client, plan);
      await client.query(`INSERT INTO ${stagingName('pt')} SELECT g, 'new ' || g FROM generate_series(1, 500) g`);
      await client.query('COMMIT');
      const built: string[] = [];
      await buildStagingIndexes(db.url, [plan], { connections: 2, onIndexDone: (name) => built.push(name) });
      expect(built.sort()).toEqual(['pt_p0_pkey', 'pt_p0_word_idx', 'pt_p1_pkey', 'pt_p1_word_idx']); // the names PostgreSQL gave them, kept
      await client.query('BEGIN');
      await swapInStaging(client, plan);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await layout()).toEqual(before);
    const { rows } = await db.pool.query<{ half: string; n: number; old: number }>(
      `SELECT tableoid::regclass::text AS half, count(*)::int AS n, count(*) FILTER (WHERE word LIKE 'old%')::int AS old FROM pt GROUP BY 1 ORDER BY 1`,
    );
    expect(rows.map((r) => r.half)).toEqual(['pt_p0', 'pt_p1']);
    expect(rows.reduce((sum, r) => sum + r.n, 0)).toBe(500);
    expect(rows.every((r) => r.old === 0 && r.n > 200)).toBe(true);
    // The adopted indexes serve: the key refuses a duplicate, the trigram index finds a word.
    await expect(db.pool.query(`INSERT INTO pt VALUES (7, 'again')`)).rejects.toThrow(/pt_p\d_pkey/);
    await db.pool.query('SET enable_seqscan = off');
    const plan = (await db.pool.query(`EXPLAIN SELECT count(*) FROM pt WHERE word LIKE '%new 42%'`)).rows.map((r) => r['QUERY PLAN']).join('\n');
    await db.pool.query('RESET enable_seqscan');
    expect(plan).toMatch(/pt_p0_word_idx/);
    expect(plan).toMatch(/pt_p1_word_idx/);
  });

  it("refuses a partition's own index, and a partition itself", async () => {
    await db.pool.query('CREATE INDEX pt_p0_extra ON pt_p0 (word)');
    try {
      await expect(planOf('pt')).rejects.toThrow(TableSwapUnsupportedError);
      await expect(planOf('pt')).rejects.toThrow(/index pt_p0_extra of partition pt_p0 only/);
    } finally {
      await db.pool.query('DROP INDEX pt_p0_extra');
    }
    await expect(planOf('pt_p0')).rejects.toThrow(/partition or inheritance/);
    await expect(planOf('pt')).resolves.toBeTruthy();
  });
});
