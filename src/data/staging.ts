// Rebuilding `contracts` as a staging table and swapping it in. Compared with loading
// into the live table, readers keep the old data (and its indexes) until one short
// swap transaction, a failure at any point leaves the live table untouched, and the
// indexes of a freshly loaded table can be built in parallel on several connections
// (each CREATE INDEX is single-threaded for GIN; the two pg_trgm indexes on titles, of
// contract_search, are most of the time of a 1M-row load).
import pg from 'pg';
import type { PartitionPlan, TablePlan } from './table-plan.js';
import { connectClient } from '../db/pg.js';

type Queryable = pg.PoolClient | pg.Client;

/** Name of the staging table: `<table>_staging` in the same schema. */
export const stagingName = (table: string) => `${table}_staging`;
/** Temporary name of the i-th index or constraint while it lives on the staging table. */
const tempName = (table: string, i: number) => `${table}_staging_${i}`;

/**
 * Creates an empty staging copy of the plan's table (columns, defaults, checks; no indexes),
 * partitioned as the table is, each partition as `<partition>_staging`. Run it in the
 * transaction that fills it, so COPY can FREEZE.
 */
export async function createStaging(client: Queryable, plan: TablePlan): Promise<void> {
  const staging = stagingName(plan.table);
  await client.query(`DROP TABLE IF EXISTS ${staging}`); // left behind by a run that died (with its partitions)
  const partitioning = plan.partitioning;
  await client.query(
    `CREATE TABLE ${staging} (LIKE ${plan.table} INCLUDING ALL EXCLUDING INDEXES)${partitioning ? ` PARTITION BY ${partitioning.key}` : ''}`,
  );
  for (const p of partitioning?.partitions ?? []) {
    await client.query(`DROP TABLE IF EXISTS ${stagingName(p.name)}`);
    await client.query(`CREATE TABLE ${stagingName(p.name)} PARTITION OF ${staging} ${p.bound}`);
  }
  for (const sql of plan.extras) await client.query(sql.replace('%s', staging));
  for (const p of partitioning?.partitions ?? []) for (const sql of p.extras) await client.query(sql.replace('%s', stagingName(p.name)));
}

/** Drops the staging table if present (cleanup after a failure). */
export async function dropStaging(client: Queryable, table: string): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${stagingName(table)}`);
}

/**
 * The plan's index definition rewritten to build on the staging table under a temporary
 * name; with `partition`, on that partition's staging table (of a partitioned table, whose
 * own index then adopts the partitions' ones: swapInStaging).
 */
function stagingIndexSql(plan: TablePlan, i: number, partition?: PartitionPlan): string {
  const index = plan.indexes[i]!;
  // pg_get_indexdef reads "CREATE [UNIQUE] INDEX <name> ON [ONLY] [<schema>.]<table> USING ...".
  const m = /^(CREATE (?:UNIQUE )?INDEX )(?:"(?:[^"]|"")+"|\S+) ON (?:ONLY )?(?:(?:"(?:[^"]|"")+"|[^\s."]+)\.)?(?:"(?:[^"]|"")+"|\S+)( USING [\s\S]*)$/.exec(index.definition);
  if (!m) throw new Error(`Unexpected index definition: ${index.definition}`);
  const on = partition ? partition.name : plan.table;
  return `${m[1]}${tempName(on, i)} ON ${stagingName(on)}${m[2]}`;
}

/** The index builds of the plans' staging tables: every index of a table, or of each of its partitions. */
function indexJobs(plans: TablePlan[]): { plan: TablePlan; i: number; partition?: PartitionPlan }[] {
  return plans.flatMap((plan) =>
    plan.indexes.flatMap((_, i) => (plan.partitioning ? plan.partitioning.partitions.map((partition) => ({ plan, i, partition })) : [{ plan, i }])),
  );
}

/** How many index builds buildStagingIndexes runs for the plans (for progress). */
export function stagingIndexCount(plans: TablePlan[]): number {
  return indexJobs(plans).length;
}

/**
 * Builds the indexes of the plans' staging tables (of a partitioned table: of each of its
 * partitions), `connections` at a time, the slowest (GIN) first so that they overlap the
 * rest. `onIndexDone` gets each index's name. `alongside` (other work on the staging tables,
 * on connections of its own) starts as soon as a connection finds no index left to start,
 * while the other connections still build: with one trigram index, at 5.5M contracts, it took
 * ~125 s on one core and the btrees were done after ~75 s on the other, which would otherwise
 * have sat idle for the rest (with the keyword table's two halves, their trigram indexes build
 * side by side first). Starting it with the first index instead was no faster (both cores
 * are busy throughout) while it was all PostgreSQL's work; with `alongsideFromStart` it
 * starts with the first index (the rollups counted in memory: ~10 s of this process's own
 * core, which would otherwise wait for the last index). Resolves when both the indexes and
 * `alongside` are done; after a failure, no index or `alongside` is started any more, and it
 * rejects once everything running has stopped.
 */
export async function buildStagingIndexes(
  databaseUrl: string,
  plans: TablePlan[],
  opts: { connections: number; onIndexDone?: (name: string) => void; alongside?: () => Promise<void>; alongsideFromStart?: boolean },
): Promise<void> {
  const queue = indexJobs(plans).sort((a, b) => isSlowIndex(b.plan, b.i) - isSlowIndex(a.plan, a.i));
  let failed = false;
  // Settled as soon as it ends (never an unhandled rejection while indexes still build).
  let alongside: Promise<PromiseSettledResult<void>> | undefined;
  const startAlongside = () => {
    if (failed || alongside || !opts.alongside) return;
    alongside = opts.alongside().then(
      (value): PromiseSettledResult<void> => ({ status: 'fulfilled', value }),
      (reason: unknown): PromiseSettledResult<void> => {
        failed = true;
        queue.length = 0; // the other connections stop after their current index
        return { status: 'rejected', reason };
      },
    );
  };
  const worker = async () => {
    const client = await connectClient(databaseUrl);
    try {
      // Each connection builds one index on one core; parallel btree workers would only
      // compete with the other connection for the same cores.
      await client.query("SET maintenance_work_mem = '512MB'");
      await client.query('SET max_parallel_maintenance_workers = 0');
      // Each build reads its table from the first row: rows written in key order (generated
      // contracts' ids, reference ids and award dates; the keyword table's award dates and
      // ids) then sort in one pass instead of a full sort (at 5.5M: the reference id key
      // ~6 -> ~3.5 s, the award-date index ~12 -> ~7.5 s). With synchronized scans a second
      // build joins the first one's scan midway, and the rows reach its sort rotated.
      await client.query('SET synchronize_seqscans = off');
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        await client.query(stagingIndexSql(next.plan, next.i, next.partition));
        opts.onIndexDone?.(next.partition ? next.partition.indexNames[next.i]! : next.plan.indexes[next.i]!.name);
      }
    } catch (err) {
      failed = true;
      queue.length = 0; // the load has failed: the other connections stop after their current index
      throw err;
    } finally {
      await client.end();
    }
    startAlongside();
  };
  if (opts.alongsideFromStart) startAlongside();
  const workers = Array.from({ length: Math.max(1, Math.min(opts.connections, queue.length)) }, worker);
  // allSettled, then rethrow: never leave a connection building while the caller cleans up.
  const results = await Promise.allSettled(workers);
  startAlongside(); // (already running, unless there was nothing to build)
  if (alongside) results.push(await alongside);
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/** GIN/GiST builds are several times slower than btree: start them first so they overlap the rest. */
function isSlowIndex(plan: TablePlan, i: number): number {
  return /USING (gin|gist) /i.test(plan.indexes[i]!.definition) ? 1 : 0;
}

/** Adds the plan's foreign keys to the staging table (validated now, while nobody waits on it). */
export async function addStagingForeignKeys(client: Queryable, plan: TablePlan): Promise<void> {
  const staging = stagingName(plan.table);
  for (const [i, fk] of plan.foreignKeys.entries()) {
    await client.query(`ALTER TABLE ${staging} ADD CONSTRAINT ${tempName(plan.table, plan.indexes.length + i)} ${fk.definition}`);
  }
}

/** In the caller's transaction: replaces the live table by the staging table, giving indexes and constraints their names back. */
export async function swapInStaging(client: Queryable, plan: TablePlan): Promise<void> {
  const { table } = plan;
  const staging = stagingName(table);
  const partitions = plan.partitioning?.partitions ?? [];
  // A partitioned table's own indexes adopt its partitions' ones (already built: no build
  // here), under temporary names, before the live table is locked.
  if (plan.partitioning) {
    for (const [i, index] of plan.indexes.entries()) {
      if (index.constraint) {
        for (const p of partitions) {
          await client.query(`ALTER TABLE ${stagingName(p.name)} ADD CONSTRAINT ${tempName(p.name, i)} ${index.constraint.kind} USING INDEX ${tempName(p.name, i)}`);
        }
        await client.query(`ALTER TABLE ${staging} ADD CONSTRAINT ${tempName(table, i)} ${index.constraint.definition}`);
      } else {
        await client.query(stagingIndexSql(plan, i));
      }
    }
  }
  await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  // bigserial sequences belong to the old table's column and would be dropped with it.
  for (const s of plan.ownedSequences) await client.query(`ALTER SEQUENCE ${s.sequence} OWNED BY ${staging}.${s.column}`);
  await client.query(`DROP TABLE ${table}`); // (with its partitions)
  await client.query(`ALTER TABLE ${staging} RENAME TO ${table}`);
  for (const p of partitions) await client.query(`ALTER TABLE ${stagingName(p.name)} RENAME TO ${p.name}`);
  for (const [i, index] of plan.indexes.entries()) {
    if (plan.partitioning) {
      // Renaming an index renames the constraint it backs with it.
      await client.query(`ALTER INDEX ${tempName(table, i)} RENAME TO ${index.constraint?.name ?? index.name}`);
      for (const p of partitions) {
        await client.query(`ALTER INDEX ${tempName(p.name, i)} RENAME TO ${p.indexNames[i]!}`);
      }
    } else if (index.constraint) {
      // Attaching the index as the constraint renames it to the constraint's name.
      await client.query(`ALTER TABLE ${table} ADD CONSTRAINT ${index.constraint.name} ${index.constraint.kind} USING INDEX ${tempName(table, i)}`);
    } else {
      await client.query(`ALTER INDEX ${tempName(table, i)} RENAME TO ${index.name}`);
    }
    if (index.constraint && index.constraint.name !== index.name) await client.query(`ALTER INDEX ${index.constraint.name} RENAME TO ${index.name}`);
  }
  for (const index of plan.indexes) if (index.comment) await client.query(index.comment);
  for (const [i, fk] of plan.foreignKeys.entries()) {
    await client.query(`ALTER TABLE ${table} RENAME CONSTRAINT ${tempName(table, plan.indexes.length + i)} TO ${fk.name}`);
  }
}
