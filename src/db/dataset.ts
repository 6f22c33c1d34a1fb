// The dataset state: one row (dataset_state, id 1) that every import and seed changes in
// the transaction that changes the data.
// - The version, bumped by every data change, is part of every task cache key, so new
//   data never serves a stale cached result.
// - The facts (counts by source, first/last award date, years) are what the `dataset`
//   query answers: "data as of ...". They are maintained here so that reading them is one
//   row, never a scan of contracts.
// - The API keeps a copy of the version in Redis (src/tasks/data-version.ts), so that a
//   submission need not read this row; data loads tell that copy through a
//   DataVersionNotifier, and it explains why the copy is never stale after a load.
import { databaseCall } from './errors.js';
import type { Db } from './prisma.js';

/** The `dataset` query's answer (../shared/API.md, Dataset facts). Dates are 'YYYY-MM-DD'. */
export type DatasetFacts = {
  version: string;
  updatedAt: Date;
  contracts: number;
  importedContracts: number;
  generatedContracts: number;
  firstAwardDate: string | null;
  lastAwardDate: string | null;
  years: number[];
};

/** Returns the current dataset version as a decimal string; ServiceUnavailableError when PostgreSQL does not answer. */
export async function getDataVersion(db: Db): Promise<string> {
  const row = await databaseCall(() => db.datasetState.findUnique({ where: { id: 1 }, select: { version: true } }));
  return (row?.version ?? 0n).toString();
}

/**
 * Key of the PostgreSQL advisory lock that every data load (import, seed) holds while it
 * runs (src/data/lock.ts): one load at a time. Arbitrary constant, distinct from the
 * migration runner's lock (727_001).
 */
export const DATA_LOAD_LOCK_KEY = 727_002;

/** True while an import or seed of this database holds the data-load lock (a session that died has released it). */
export async function dataLoadRunning(db: Db): Promise<boolean> {
  // pg_locks shows a bigint advisory key as classid (high 32 bits), objid (low 32 bits), objsubid 1.
  const rows = await databaseCall(
    () => db.$queryRaw<{ running: boolean }[]>`
      SELECT EXISTS (
        SELECT 1 FROM pg_locks
         WHERE locktype = 'advisory' AND granted AND objsubid = 1
           AND classid = ${Math.floor(DATA_LOAD_LOCK_KEY / 2 ** 32)}::oid AND objid = ${DATA_LOAD_LOCK_KEY % 2 ** 32}::oid
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
      ) AS running`,
  );
  return rows[0]?.running === true;
}

/**
 * Told by every data load (import, seed) when it starts and when it ends, so that a copy of
 * the version outside PostgreSQL (the API's, in Redis) is never used while or after the
 * data changes. The load holds the data-load lock around both calls.
 */
export type DataVersionNotifier = {
  /** Before the load changes anything. If it throws, the load stops before changing anything. */
  loadStarting(): Promise<void>;
  /** After the load (finished or failed), with the version PostgreSQL holds now. Must not throw. */
  loadEnded(version: string): Promise<void>;
};

/** A @db.Date value (midnight UTC) as 'YYYY-MM-DD'. */
const isoDay = (d: Date | null): string | null => (d ? d.toISOString().slice(0, 10) : null);

/** The dataset facts, read from the one dataset_state row (no scan of contracts). */
export async function getDatasetFacts(db: Db): Promise<DatasetFacts> {
  const row = await databaseCall(() => db.datasetState.findUnique({ where: { id: 1 } }));
  const imported = Number(row?.importedContracts ?? 0n);
  const generated = Number(row?.generatedContracts ?? 0n);
  return {
    version: (row?.version ?? 0n).toString(),
    updatedAt: row?.updatedAt ?? new Date(0),
    contracts: imported + generated,
    importedContracts: imported,
    generatedContracts: generated,
    firstAwardDate: isoDay(row?.firstAwardDate ?? null),
    lastAwardDate: isoDay(row?.lastAwardDate ?? null),
    years: row?.years ?? [],
  };
}

/**
 * SQL answering one row, `current`: whether the rollups (src/data/rollups.ts) describe the
 * current dataset version. The query engine uses them only then; `npm start` rebuilds them
 * when not.
 */
export const ROLLUPS_CURRENT_SQL =
  'SELECT COALESCE((SELECT r.version = d.version FROM rollup_state r, dataset_state d WHERE r.id = 1 AND d.id = 1), false) AS current';

/** SQL that bumps the version; run it inside the transaction that changed the data. */
export const BUMP_DATA_VERSION_SQL =
  'UPDATE dataset_state SET version = version + 1, updated_at = now() WHERE id = 1';

/**
 * SQL that recomputes every fact from `table` (the contracts; a seed reads them from its
 * daily rollup instead: SEED_DATASET_FACTS_SQL); run it inside the transaction that changed
 * the data. One pass over the table, grouped by (source, year): a few dozen groups.
 */
export function datasetFactsSql(table: 'contracts'): string {
  return `
    UPDATE dataset_state AS d
       SET imported_contracts = s.imported, generated_contracts = s.generated,
           first_award_date = s.first, last_award_date = s.last, years = s.years
      FROM (
        SELECT COALESCE(sum(n) FILTER (WHERE source = 'IMPORTED'), 0)::bigint AS imported,
               COALESCE(sum(n) FILTER (WHERE source = 'GENERATED'), 0)::bigint AS generated,
               min(first) AS first, max(last) AS last,
               COALESCE(array_agg(DISTINCT year ORDER BY year), '{}')::int[] AS years
          FROM (SELECT source, extract(year FROM award_date)::int AS year, count(*) AS n,
                       min(award_date) AS first, max(award_date) AS last
                  FROM ${table} GROUP BY 1, 2) g
      ) s
     WHERE d.id = 1`;
}

/**
 * datasetFactsSql for a seed, without another pass over its contracts: the counts it knows
 * ($1 imported contracts kept, $2 generated), the first and last award dates and the years
 * from the daily rollup it has just built of the same rows (contract_daily_totals_staging:
 * every award day of the new contracts).
 */
export const SEED_DATASET_FACTS_SQL = `
  UPDATE dataset_state
     SET imported_contracts = $1::bigint, generated_contracts = $2::bigint,
         first_award_date = (SELECT min(day) FROM contract_daily_totals_staging),
         last_award_date = (SELECT max(day) FROM contract_daily_totals_staging),
         years = ARRAY(SELECT DISTINCT extract(year FROM day)::int FROM contract_daily_totals_staging ORDER BY 1)
   WHERE id = 1`;

/**
 * SQL (parameters: $1 new contracts, $2 generated contracts that became imported, $3 the
 * written award dates as date[]) that adds one batch of imported contracts to the facts,
 * inside the batch's transaction. Counts stay exact; dates and years only widen (an update
 * that moves a contract away from the first/last date or year is settled by the
 * datasetFactsSql that ends every import).
 */
export const ADD_IMPORTED_BATCH_SQL = `
  UPDATE dataset_state
     SET imported_contracts = imported_contracts + $1::bigint + $2::bigint,
         generated_contracts = generated_contracts - $2::bigint,
         first_award_date = LEAST(first_award_date, (SELECT min(x) FROM unnest($3::date[]) x)),
         last_award_date = GREATEST(last_award_date, (SELECT max(x) FROM unnest($3::date[]) x)),
         years = ARRAY(SELECT DISTINCT y FROM unnest(years || ARRAY(SELECT extract(year FROM x)::int FROM unnest($3::date[]) x)) y ORDER BY y)
   WHERE id = 1`;
