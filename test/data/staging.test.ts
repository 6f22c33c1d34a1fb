import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStagingIndexes } from '../../src/data/staging.js';
import type { TablePlan } from '../../src/data/table-plan.js';
import { createPooledTestDatabase, type PooledTestDatabase } from '../helpers/db.js';

let db: PooledTestDatabase;

/** A plan for table `t` (id, word) with these index definitions, built on `t_staging`. */
const plan = (...definitions: string[]): TablePlan => ({
  table: 't',
  indexes: definitions.map((definition, i) => ({ name: `t_idx_${i}`, definition })),
  foreignKeys: [],
  ownedSequences: [],
  extras: [],
});
const GIN = 'CREATE INDEX t_idx_0 ON public.t USING gin (word gin_trgm_ops)';
const BTREE = 'CREATE INDEX t_idx_1 ON public.t USING btree (id)';
const UNIQUE = 'CREATE UNIQUE INDEX t_idx_2 ON public.t USING btree (word)';

/** How many indexes t_staging has. */
async function stagingIndexes(): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM pg_indexes WHERE tablename = 't_staging'`);
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  db = await createPooledTestDatabase('staging', 2);
  await db.pool.query('CREATE TABLE t (id int, word text)');
}, 60_000);
afterAll(async () => db?.drop());

describe('buildStagingIndexes', () => {
  async function resetStaging(rows: string) {
    await db.pool.query('DROP TABLE IF EXISTS t_staging');
    await db.pool.query('CREATE TABLE t_staging (LIKE t)');
    await db.pool.query(`INSERT INTO t_staging ${rows}`);
  }

  describe('with work to run alongside', () => {
    it('starts it once no index is left to start, and resolves after both', async () => {
      await resetStaging(`SELECT i, 'word ' || i FROM generate_series(1, 2000) i`);
      const events: string[] = [];
      await buildStagingIndexes(db.url, [plan(GIN, BTREE, UNIQUE)], {
        connections: 1,
        onIndexDone: (name) => events.push(name),
        alongside: async () => {
          events.push('alongside started');
          await new Promise((r) => setTimeout(r, 50));
          events.push('alongside done');
        },
      });
      // One connection: every index is done before it finds the queue empty.
      expect(events).toEqual(['t_idx_0', 't_idx_1', 't_idx_2', 'alongside started', 'alongside done']);
      expect(await stagingIndexes()).toBe(3);
    });

    it('starts it beside the slow index on the other connection', async () => {
      await resetStaging(`SELECT i, md5(i::text) || ' ' || md5((i * 7)::text) FROM generate_series(1, 100000) i`);
      const events: string[] = [];
      await buildStagingIndexes(db.url, [plan(GIN, BTREE)], {
        connections: 2,
        onIndexDone: (name) => events.push(name),
        alongside: async () => {
          events.push('alongside started');
        },
      });
      // The btree (second connection) is done long before the trigram GIN (first, the slow one).
      expect(events).toEqual(['t_idx_1', 'alongside started', 't_idx_0']);
    });
  });

  describe('when an index build fails', () => {
    it('never starts the work alongside, and rejects', async () => {
      await resetStaging(`SELECT i, 'same' FROM generate_series(1, 10) i`);
      let started = false;
      await expect(
        buildStagingIndexes(db.url, [plan(UNIQUE, BTREE)], {
          connections: 1,
          alongside: async () => {
            started = true;
          },
        }),
      ).rejects.toThrow(/could not create unique index/);
      expect(started).toBe(false);
      expect(await stagingIndexes()).toBe(0); // the btree after it was not started either
    });
  });

  describe('when the work alongside fails', () => {
    it('waits for the builds still running, and rejects with its error', async () => {
      await resetStaging(`SELECT i, md5(i::text) FROM generate_series(1, 50000) i`);
      await expect(
        buildStagingIndexes(db.url, [plan(GIN, BTREE, 'CREATE INDEX t_idx_3 ON public.t USING btree (word)')], {
          connections: 2,
          alongside: async () => {
            throw new Error('rollups failed');
          },
        }),
      ).rejects.toThrow('rollups failed');
      // Nothing is left building on the staging table.
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX t_staging%' AND state = 'active'`);
      expect(rows[0].n).toBe(0);
    });
  });
});
