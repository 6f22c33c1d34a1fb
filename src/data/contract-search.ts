// contract_search (prisma/migrations/20261207000000_contract_search, 20261208000000_contract_search_text):
// one narrow row per contract, its two titles lower-cased once into one text (joined by
// U+0001; only the longer one when it contains the other), for keyword chips
// (src/contracts/filter-sql.ts).
// Every writer of contracts writes it in the same transaction:
//  - a seed fills a staging copy from the staging contracts and swaps both in together
//    (src/data/generate.ts);
//  - an import upserts the rows of each batch's written contracts in the batch's own
//    statement (src/data/award-writer.ts);
//  - anything else that writes contracts directly (tests' fixtures, a repair) calls
//    refreshContractSearch afterwards.
import type pg from 'pg';
import { connectClient, settleAll, withWorkMem } from '../db/pg.js';
import { stagingName } from './staging.js';
import type { TablePlan } from './table-plan.js';

type Queryable = pg.PoolClient | pg.Client;

export const SEARCH_TABLE = 'contract_search';

/**
 * contract_search's partitions (prisma/migrations/20261210000000_contract_search_partitions:
 * halves by hash of id, each with its own indexes, each read by one process): a statement
 * that must not run in one process over the whole table (a dashboard's grouping sets,
 * src/contracts/analytics.ts) runs once per partition.
 */
export const SEARCH_PARTITIONS = ['contract_search_p0', 'contract_search_p1'] as const;

/** work_mem of a fill: its sort by award date stays in memory. */
const SORT_WORK_MEM = '1GB';

/** contract_search's columns, in order. */
export const SEARCH_COLUMNS =
  'id, award_date, amount, contractor_id, organization_id, area_id, business_category_id, search_text';

/** What joins the two titles in search_text: a keyword without it never matches across them. */
export const TITLE_SEPARATOR = '\u0001';

/**
 * The search_text of a contracts-shaped row `c`: its two titles lower-cased, joined by
 * TITLE_SEPARATOR, or only the longer one when it contains the other (most awards: the
 * award title is the notice's, or a cut of it). A keyword part (a substring: LIKE
 * '%part%') is in one of two texts exactly when it is in the one that contains the other,
 * so the answers are the same, and the trigram index gets about 40% less text to index
 * (~15 s of a 5.5M seed) and a keyword's recheck less to read.
 */
function searchTextOf(c: string): string {
  const award = `lower(${c}.award_title)`;
  const notice = `lower(COALESCE(${c}.notice_title, ''))`;
  return `CASE WHEN strpos(${notice}, ${award}) > 0 THEN ${notice} WHEN strpos(${award}, ${notice}) > 0 THEN ${award}
    ELSE lower(${c}.award_title || E'\\x01' || COALESCE(${c}.notice_title, '')) END`;
}

/** The contract_search row of a contracts-shaped row `alias`, in SEARCH_COLUMNS order. */
export function searchRowOf(alias: string): string {
  const c = alias;
  return `${c}.id, ${c}.award_date, ${c}.amount, ${c}.contractor_id, ${c}.organization_id, ${c}.area_id, ${c}.business_category_id, ${searchTextOf(c)}`;
}

/**
 * INSERT of the contract_search rows of every contract in `source` (a contracts-shaped
 * table, as `c`) that `where` admits into `target`, in award-date order: the rows of a time range then sit on
 * neighbouring pages, which a keyword-and-time question reads through the award-date index.
 */
export function fillSearchSql(target: string, source: string, where = 'TRUE'): string {
  return `INSERT INTO ${target} (${SEARCH_COLUMNS}) SELECT ${searchRowOf('c')} FROM ${source} c WHERE ${where} ORDER BY c.award_date`;
}

/**
 * Fills the staging copy of contract_search (created by createStaging from `plan`) from the
 * committed staging contracts `source`, each partition at once on a connection of its own
 * with the rows its bound admits (in award-date order within each): lower-casing 5.5M pairs
 * of titles is one process's work per statement (~25 s of one core on a fast machine, ~50 s
 * on a slow one), halved this way with two halves.
 */
export async function fillSearchStaging(databaseUrl: string, plan: TablePlan, source: string): Promise<void> {
  const targets = (plan.partitioning?.partitions.map((p) => p.name) ?? [plan.table]).map(stagingName);
  const fill = async (target: string) => {
    const own = await connectClient(databaseUrl);
    try {
      // NULL for a table that is not a partition; otherwise its bound, naming its columns
      // unqualified (id): here, the source's.
      const [bound] = (await own.query<{ check: string | null }>('SELECT pg_get_partition_constraintdef($1::regclass) AS check', [target])).rows;
      await withWorkMem(own, SORT_WORK_MEM, () => own.query(fillSearchSql(target, source, bound?.check ?? undefined)));
    } finally {
      await own.end().catch(() => {});
    }
  };
  await settleAll(targets.map(fill));
}

/** ON CONFLICT clause of an upsert into contract_search: the new row replaces the old. */
export const SEARCH_UPSERT_CONFLICT = `ON CONFLICT (id) DO UPDATE SET ${SEARCH_COLUMNS.split(', ')
  .slice(1)
  .map((col) => `${col} = EXCLUDED.${col}`)
  .join(', ')}`;

/** Rebuilds contract_search from the contracts, in one transaction (fixtures and repairs; loads keep it in step themselves). */
export async function refreshContractSearch(client: Queryable): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`DELETE FROM ${SEARCH_TABLE}`);
    await client.query(fillSearchSql(SEARCH_TABLE, 'contracts'));
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
  await client.query(`ANALYZE ${SEARCH_TABLE}`);
}
