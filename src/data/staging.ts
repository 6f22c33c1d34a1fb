// Rebuilding `contracts` as a staging table and swapping it in. Compared with loading
// into the live table, readers keep the old data (and its indexes) until one short
// swap transaction, a failure at any point leaves the live table untouched, and the
// indexes of a freshly loaded table can be built in parallel on several connections
// (each CREATE INDEX is single-threaded for GIN; the two pg_trgm indexes on titles, of
// contract_search, are most of the time of a 1M-row load).
import pg from 'pg';
import type { TablePlan } from './table-plan.js';
import { connectClient } from '../db/pg.js';

type Queryable = pg.PoolClient | pg.Client;

/** Name of the staging table: `<table>_staging` in the same schema. */
export const stagingName = (table: string) => `${table}_staging`;
/** Temporary name of the i-th index or constraint while it lives on the staging table. */
const tempName = (table: string, i: number) => `${table}_staging_${i}`;

/** Creates an empty staging copy of the plan's table (columns, defaults, checks; no indexes). Run it in the transaction that fills it, so COPY can FREEZE. */
export async function createStaging(client: Queryable, plan: TablePlan): Promise<void> {
  const staging = stagingName(plan.table);
  await client.query(`DROP TABLE IF EXISTS ${staging}`); // left behind by a run that died
  await client.query(`CREATE TABLE ${staging} (LIKE ${plan.table} INCLUDING ALL EXCLUDING INDEXES)`);
  for (const sql of plan.extras) await client.query(sql.replace('%s', staging));
}

/** Drops the staging table if present (cleanup after a failure). */
export async function dropStaging(client: Queryable, table: string): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${stagingName(table)}`);
}

/** The plan's index definition rewritten to build on the staging table under a temporary name. */
function stagingIndexSql(plan: TablePlan, i: number): string {
  const index = plan.indexes[i]!;
  // pg_get_indexdef reads "CREATE [UNIQUE] INDEX <name> ON [ONLY] [<schema>.]<table> USING ...".
  const m = /^(CREATE (?:UNIQUE )?INDEX )(?:"(?:[^"]|"")+"|\S+)( ON (?:ONLY )?)(?:(?:"(?:[^"]|"")+"|[^\s."]+)\.)?(?:"(?:[^"]|"")+"|\S+)( USING [\s\S]*)$/.exec(index.definition);
  if (!m) throw new Error(`Unexpected index definition: ${index.definition}`);
  return `${m[1]}${tempName(plan.table, i)}${m[2]}${stagingName(plan.table)}${m[3]}`;
}

/**
 * Builds the indexes of the plans' staging tables, `connections` at a time, the slowest
 * (GIN) first so that they overlap the rest. `onIndexDone` gets each index's name.
 * `alongside` (other work on the staging tables, on connections of its own) starts as soon
 * as a connection finds no index left to start, while the slow builds still run: at 5.5M
 * contracts the keyword table's trigram index takes ~125 s on one core, and the btrees are
 * done after ~75 s on the other, which would otherwise sit idle for the rest. Resolves when
 * both the indexes and `alongside` are done; after a failure, no index or `alongside` is
 * started any more, and it rejects once everything running has stopped.
 */
export async function buildStagingIndexes(
  databaseUrl: string,
  plans: TablePlan[],
  opts: { connections: number; onIndexDone?: (name: string) => void; alongside?: () => Promise<void> },
): Promise<void> {
  const queue = plans
    .flatMap((plan) => plan.indexes.map((_, i) => ({ plan, i })))
    .sort((a, b) => isSlowIndex(b.plan, b.i) - isSlowIndex(a.plan, a.i));
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
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        await client.query(stagingIndexSql(next.plan, next.i));
        opts.onIndexDone?.(next.plan.indexes[next.i]!.name);
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
  await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  // bigserial sequences belong to the old table's column and would be dropped with it.
  for (const s of plan.ownedSequences) await client.query(`ALTER SEQUENCE ${s.sequence} OWNED BY ${staging}.${s.column}`);
  await client.query(`DROP TABLE ${table}`);
  await client.query(`ALTER TABLE ${staging} RENAME TO ${table}`);
  for (const [i, index] of plan.indexes.entries()) {
    if (index.constraint) {
      // Attaching the index as the constraint renames it to the constraint's name.
      await client.query(`ALTER TABLE ${table} ADD CONSTRAINT ${index.constraint.name} ${index.constraint.kind} USING INDEX ${tempName(table, i)}`);
      if (index.constraint.name !== index.name) await client.query(`ALTER INDEX ${index.constraint.name} RENAME TO ${index.name}`);
    } else {
      await client.query(`ALTER INDEX ${tempName(table, i)} RENAME TO ${index.name}`);
    }
  }
  for (const index of plan.indexes) if (index.comment) await client.query(index.comment);
  for (const [i, fk] of plan.foreignKeys.entries()) {
    await client.query(`ALTER TABLE ${table} RENAME CONSTRAINT ${tempName(table, plan.indexes.length + i)} TO ${fk.name}`);
  }
}
