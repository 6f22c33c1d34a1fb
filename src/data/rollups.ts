// Rollups of contracts (prisma/migrations/20261205000000_rollups): daily totals, totals
// per dimension row by month, quarter and year and over all time (grain 2, 3, 1, 0), and
// each business category's totals per contractor, organization and area over all time
// (20261207000100_category_pair_rollups). Month
// rows let a ranking over any range (2023-03-15..2024-06-10) add up a few hundred thousand
// cells instead of aggregating every contract of the range (at 5.5M contracts: 2.1M
// contractor month cells against 5.5M contracts); quarter rows answer a whole quarter with
// one row per name. Every load rebuilds them from the table it is about to make live, into
// staging tables, and swaps them in in the transaction that bumps the dataset version;
// rollup_state then records that version, and the query engine uses them only while it
// equals dataset_state.version (src/contracts/rollups.ts). An import invalidates them first
// (its batches commit one by one), so readers fall back to the contracts until its last
// transaction swaps the new rollups in.
// The amount rollups (20261209000000_amount_rollups) count each dimension row's contracts per
// amount class (src/data/amount-classes.ts): a search with an amount range.
// The rows are counted in the loading process when the contracts' columns hold them exactly
// (rollup-arrays.ts, ~4x faster), otherwise by the SQL below; both give the same rows.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { readContractColumns, type ContractColumns } from '../contracts/contract-columns.js';
import { ROLLUPS_CURRENT_SQL } from '../db/dataset.js';
import { connectClient, settleAll, withWorkMem } from '../db/pg.js';

/** work_mem of a rollup build: ~3.5M month cells at 5.5M contracts stay in memory. */
const BIG_WORK_MEM = '1GB';
import { amountBucketSql, boundaryIndexSql } from './amount-classes.js';
import { rollupText, type RollupText } from './rollup-arrays.js';
import type { StatsSource } from './stats.js';

type Queryable = pg.PoolClient | pg.Client;

const DAILY = 'contract_daily_totals';
const DIMENSION = 'contract_dimension_totals';
const PAIRS = 'contract_category_pair_totals';
const AMOUNTS = 'contract_amount_totals';
/** Every rollup table, in the order they are locked and swapped. */
export const ROLLUP_TABLES = [DAILY, DIMENSION, PAIRS, AMOUNTS] as const;
const staging = (table: string) => `${table}_staging`;
/** Primary key columns of each rollup table. */
const PRIMARY_KEY: Record<(typeof ROLLUP_TABLES)[number], string> = {
  [DAILY]: 'day',
  [DIMENSION]: 'dimension, grain, period, id',
  [PAIRS]: 'category_id, dimension, id',
  [AMOUNTS]: 'dimension, id, bucket',
};
/** Creates the empty staging copy of a rollup table (no keys yet: they are built after the rows). */
const createStaging = (conn: Queryable, table: keyof typeof PRIMARY_KEY) =>
  conn.query(`CREATE TABLE ${staging(table)} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
/** Adds the primary key of a filled staging rollup table. */
const keyStaging = (conn: Queryable, table: keyof typeof PRIMARY_KEY) =>
  conn.query(`ALTER TABLE ${staging(table)} ADD CONSTRAINT ${staging(table)}_pkey PRIMARY KEY (${PRIMARY_KEY[table]})`);
/** Secondary indexes of contract_dimension_totals (name suffix, column), as in the migration: all-time rows only. */
const INDEXES = [['total_idx', 'total'], ['n_idx', 'n']] as const;

// GROUPING(contractor_id, organization_id, area_id, business_category_id, award_date) of
// each grouping set (by dimension and month) and the dimension code it is stored under
// (1..4; the daily set: 0). Year and all-time rows are summed from the month rows.
const SETS = [
  { mask: 0b01111, dimension: 1 },
  { mask: 0b10111, dimension: 2 },
  { mask: 0b11011, dimension: 3 },
  { mask: 0b11101, dimension: 4 },
] as const;
const DAILY_MASK = 0b11110;
/** The stats.ts GROUPING mask of each dimension code, for applyDimensionStats. */
const STATS_MASK: Record<number, number> = { 1: 0b0111, 2: 0b1011, 3: 0b1101, 4: 0b1110 };

/**
 * How buildRollups counts: `inMemory: false` by the SQL build; `columns`: from these columns
 * of `source`'s contracts (a seed's, taken as it loaded them: loadingColumns), by the SQL build
 * when null (they could not be held); by default from the columns read from `source`.
 */
export type RollupOptions = { inMemory?: boolean; columns?: ContractColumns | null };

/**
 * Builds the rollups of `source` into the staging tables (replacing any left behind), and
 * says how: 'memory' when `source`'s columns can be held exactly (rollup-arrays.ts: read
 * with one binary COPY out unless `opts.columns` gives them, the rows counted here, COPYed
 * back, on `second` too when given), else
 * (or with `inMemory: false`) 'sql': one scan of `source` with a hash aggregate per grouping
 * set for the daily and dimension rollups, one each for the category pair and amount
 * rollups (on `second` meanwhile, when given: `source` must then be committed). Run it
 * outside the transaction that swaps them in: readers are not blocked meanwhile. Also
 * leaves the session's temporary `dimension_stats` (all-time totals per dimension row) for
 * applyDimensionStats.
 */
export async function buildRollups(client: Queryable, source: StatsSource, second?: Queryable, opts: RollupOptions = {}): Promise<'memory' | 'sql'> {
  await client.query(`DROP TABLE IF EXISTS ${ROLLUP_TABLES.map(staging).join(', ')}, pg_temp.rollup_cells, pg_temp.dimension_stats`);
  // In this process from the contracts' columns when they can be held exactly (rollup-arrays.ts).
  const text = opts.inMemory === false ? null : opts.columns !== undefined ? opts.columns && rollupText(opts.columns) : await rollupTextOf(client, source);
  if (text) {
    await writeRollups(client, second, text);
    return 'memory';
  }
  // With a second connection, the category pair and amount rollups (each its own scan of
  // `source`) are built there meanwhile: ~25 s of the ~75 s at 5.5M, on the other core.
  const side = second ? withWorkMem(second, BIG_WORK_MEM, () => buildPairAndAmountRollups(second, source)) : null;
  await settleAll([
    withWorkMem(client, BIG_WORK_MEM, async () => {
      await buildDimensionRollups(client, source);
      if (!side) await buildPairAndAmountRollups(client, source);
    }),
    side,
  ]);
  return 'sql';
}

/** buildRollups with a second connection to `databaseUrl` for the pair and amount rollups, closed after. */
export async function buildRollupsOnTwoConnections(client: Queryable, source: StatsSource, databaseUrl: string, opts: RollupOptions = {}): Promise<'memory' | 'sql'> {
  const second = await connectClient(databaseUrl);
  try {
    return await buildRollups(client, source, second, opts);
  } finally {
    await second.end().catch(() => {});
  }
}

/** The daily and per-dimension rollups, and the session's `dimension_stats`. */
async function buildDimensionRollups(client: Queryable, source: StatsSource): Promise<void> {
  await client.query(`
    CREATE TEMP TABLE rollup_cells AS
    SELECT GROUPING(contractor_id, organization_id, area_id, business_category_id, award_date) AS g,
           COALESCE(contractor_id, organization_id, area_id, business_category_id, 0) AS id,
           COALESCE(award_date, date_trunc('month', award_date)::date) AS period,
           count(*) AS n, count(amount) AS known, COALESCE(sum(amount), 0) AS total,
           min(award_date) AS first_date, max(award_date) AS last_date
      FROM ${source}
     GROUP BY GROUPING SETS ((contractor_id, date_trunc('month', award_date)::date), (organization_id, date_trunc('month', award_date)::date),
                             (area_id, date_trunc('month', award_date)::date), (business_category_id, date_trunc('month', award_date)::date),
                             (award_date))`);
  await createStaging(client, DAILY);
  await client.query(`INSERT INTO ${staging(DAILY)} (day, n, known, total) SELECT period, n, known, total FROM rollup_cells WHERE g = ${DAILY_MASK}`);
  await createStaging(client, DIMENSION);
  const code = `CASE g ${SETS.map((s) => `WHEN ${s.mask} THEN ${s.dimension}`).join(' ')} END`;
  // Each insert is written in primary-key order, so the rows of one dimension and period
  // (a month's 20k contractors) sit on a few hundred neighbouring pages, not on one page
  // each: a quarter's ranking reads ~600 pages instead of ~60,000.
  await client.query(`
    INSERT INTO ${staging(DIMENSION)} (dimension, grain, period, id, n, known, total, first_date, last_date)
    SELECT ${code}, 2, period, id, n, known, total, first_date, last_date FROM rollup_cells WHERE g <> ${DAILY_MASK}
     ORDER BY 1, 3, 4`);
  await client.query(`
    INSERT INTO ${staging(DIMENSION)} (dimension, grain, period, id, n, known, total, first_date, last_date)
    SELECT dimension, 1, date_trunc('year', period)::date, id, sum(n), sum(known), sum(total), min(first_date), max(last_date)
      FROM ${staging(DIMENSION)} WHERE grain = 2 GROUP BY 1, 3, 4 ORDER BY 1, 3, 4`);
  await client.query(`
    INSERT INTO ${staging(DIMENSION)} (dimension, grain, period, id, n, known, total, first_date, last_date)
    SELECT dimension, 3, date_trunc('quarter', period)::date, id, sum(n), sum(known), sum(total), min(first_date), max(last_date)
      FROM ${staging(DIMENSION)} WHERE grain = 2 GROUP BY 1, 3, 4 ORDER BY 1, 3, 4`);
  await client.query(`
    INSERT INTO ${staging(DIMENSION)} (dimension, grain, period, id, n, known, total, first_date, last_date)
    SELECT dimension, 0, DATE '0001-01-01', id, sum(n), sum(known), sum(total), min(first_date), max(last_date)
      FROM ${staging(DIMENSION)} WHERE grain = 1 GROUP BY 1, 4 ORDER BY 1, 4`);
  await keyStaging(client, DAILY);
  await finishDimensionRollups(client);
  await client.query('DROP TABLE rollup_cells');
}

/** The keys of the staging contract_dimension_totals, and the session's `dimension_stats` from its all-time rows. */
async function finishDimensionRollups(client: Queryable): Promise<void> {
  await keyStaging(client, DIMENSION);
  for (const [suffix, column] of INDEXES) {
    await client.query(`CREATE INDEX ${staging(DIMENSION)}_${suffix} ON ${staging(DIMENSION)} (dimension, grain, ${column} DESC) WHERE grain = 0`);
  }
  // The dimension counters (stats.ts) are the all-time rows: no second scan of contracts.
  await client.query(`
    CREATE TEMP TABLE dimension_stats AS
    SELECT CASE dimension ${Object.entries(STATS_MASK).map(([d, m]) => `WHEN ${d} THEN ${m}`).join(' ')} END AS g,
           NULLIF(id, 0) AS id, n::int AS n, total
      FROM ${staging(DIMENSION)} WHERE grain = 0`);
}

/** The rollup rows of `source` computed in this process (rollup-arrays.ts), or null when its columns cannot be held exactly. */
async function rollupTextOf(client: Queryable, source: StatsSource): Promise<RollupText | null> {
  const columns = await readContractColumns(client, source);
  return columns && rollupText(columns);
}

/**
 * Writes rows computed in this process into the staging rollups (COPY, in the SQL build's
 * order), with their keys and `dimension_stats`: contract_dimension_totals on `client`, the
 * other three on `second` meanwhile when given.
 */
async function writeRollups(client: Queryable, second: Queryable | undefined, text: RollupText): Promise<void> {
  const copy = (conn: Queryable, table: string, columns: string, chunks: Buffer[]) =>
    pipeline(Readable.from(chunks), conn.query(copyFrom(`COPY ${staging(table)} (${columns}) FROM STDIN`)));
  const dimension = async () => {
    await createStaging(client, DIMENSION);
    await copy(client, DIMENSION, 'dimension, grain, period, id, n, known, total, first_date, last_date', text.dimension);
    await finishDimensionRollups(client);
  };
  const others = async (conn: Queryable) => {
    for (const [table, columns, chunks] of [
      [DAILY, 'day, n, known, total', text.daily],
      [PAIRS, 'category_id, dimension, id, n, known, total', text.pairs],
      [AMOUNTS, 'dimension, id, bucket, n', text.amounts],
    ] as const) {
      await createStaging(conn, table);
      await copy(conn, table, columns, chunks);
      await keyStaging(conn, table);
    }
  };
  if (!second) {
    await dimension();
    await others(client);
    return;
  }
  await settleAll([dimension(), others(second)]);
}

/** The category pair and amount rollups of `source` (each its own scan), into their staging tables. */
async function buildPairAndAmountRollups(client: Queryable, source: StatsSource): Promise<void> {
  // A category's contracts per contractor, organization and area (GROUPING: 3, 5, 6 →
  // dimension 1, 2, 3), in key order: one category's rankings read neighbouring pages.
  await createStaging(client, PAIRS);
  await client.query(`
    INSERT INTO ${staging(PAIRS)} (category_id, dimension, id, n, known, total)
    SELECT business_category_id, CASE GROUPING(contractor_id, organization_id, area_id) WHEN 3 THEN 1 WHEN 5 THEN 2 ELSE 3 END,
           COALESCE(contractor_id, organization_id, area_id, 0), count(*), count(amount), COALESCE(sum(amount), 0)
      FROM ${source}
     GROUP BY GROUPING SETS ((business_category_id, contractor_id), (business_category_id, organization_id), (business_category_id, area_id))
     ORDER BY 1, 2, 3`);
  await keyStaging(client, PAIRS);
  // Contracts per name and amount bucket (GROUPING: 7, 11, 13, 14 → dimension 1 ... 4; all
  // contracts: 15 → 0), in key order.
  await createStaging(client, AMOUNTS);
  await client.query(`
    INSERT INTO ${staging(AMOUNTS)} (dimension, id, bucket, n)
    SELECT CASE GROUPING(contractor_id, organization_id, area_id, business_category_id) WHEN 7 THEN 1 WHEN 11 THEN 2 WHEN 13 THEN 3 WHEN 14 THEN 4 ELSE 0 END,
           COALESCE(contractor_id, organization_id, area_id, business_category_id, 0), bucket, count(*)
      FROM (SELECT contractor_id, organization_id, area_id, business_category_id, ${amountBucketSql('amount', 'k')} AS bucket
              FROM (SELECT contractor_id, organization_id, area_id, business_category_id, amount, ${boundaryIndexSql('amount')} AS k
                      FROM ${source} WHERE amount IS NOT NULL) a) c
     GROUP BY GROUPING SETS ((contractor_id, bucket), (organization_id, bucket), (area_id, bucket), (business_category_id, bucket), (bucket))
     ORDER BY 1, 2, 3`);
  await keyStaging(client, AMOUNTS);
}

/**
 * In the caller's transaction, after the dataset version was bumped: replaces the live
 * rollups by the staging ones and records the (new) dataset version as theirs. Readers lock
 * the rollup tables in their first statement (src/contracts/run.ts), so none sees a mix.
 */
export async function swapInRollups(client: Queryable): Promise<void> {
  await client.query(`LOCK TABLE ${ROLLUP_TABLES.join(', ')} IN ACCESS EXCLUSIVE MODE`);
  for (const table of ROLLUP_TABLES) {
    await client.query(`DROP TABLE ${table}`);
    await client.query(`ALTER TABLE ${staging(table)} RENAME TO ${table}`);
    await client.query(`ALTER TABLE ${table} RENAME CONSTRAINT ${staging(table)}_pkey TO ${table}_pkey`);
  }
  for (const [suffix] of INDEXES) await client.query(`ALTER INDEX ${staging(DIMENSION)}_${suffix} RENAME TO ${DIMENSION}_${suffix}`);
  await client.query(`UPDATE rollup_state SET version = (SELECT version FROM dataset_state WHERE id = 1), built_at = now() WHERE id = 1`);
}

/** Drops staging rollups left by a failed load. */
export async function dropRollupStaging(client: Queryable): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${ROLLUP_TABLES.map(staging).join(', ')}`);
}

/** Marks the rollups as not describing the contracts (committed at once): the engine stops using them. Returns whether they were valid. */
export async function invalidateRollups(client: Queryable): Promise<boolean> {
  const { rows } = await client.query<{ valid: boolean }>(`
    WITH old AS (SELECT version FROM rollup_state WHERE id = 1 FOR UPDATE)
    UPDATE rollup_state r SET version = 0 FROM old WHERE r.id = 1
    RETURNING old.version = (SELECT version FROM dataset_state WHERE id = 1) AS valid`);
  return rows[0]?.valid === true;
}

/** Marks the rollups valid again for the current dataset version (an import that changed nothing). */
export async function revalidateRollups(client: Queryable): Promise<void> {
  await client.query('UPDATE rollup_state SET version = (SELECT version FROM dataset_state WHERE id = 1) WHERE id = 1');
}

/** Rebuilds the rollups of the live contracts and swaps them in, for the current dataset version (tests, repairs). */
export async function refreshRollups(client: Queryable, second?: Queryable): Promise<void> {
  await buildRollups(client, 'contracts', second);
  await client.query('BEGIN');
  try {
    await swapInRollups(client);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
  await client.query('DROP TABLE IF EXISTS pg_temp.dimension_stats');
  await client.query(`ANALYZE ${ROLLUP_TABLES.join(', ')}`);
}

/** True when the rollups describe the current dataset version (the engine uses them only then). */
export async function rollupsCurrent(client: Queryable): Promise<boolean> {
  const { rows } = await client.query<{ current: boolean }>(ROLLUPS_CURRENT_SQL);
  return rows[0]?.current === true;
}
