// contract_search (prisma/migrations/20261207000000_contract_search, 20261208000000_contract_search_text):
// one narrow row per contract, its two titles lower-cased once into one text (joined by
// U+0001), for keyword chips (src/contracts/filter-sql.ts).
// Every writer of contracts writes it in the same transaction:
//  - a seed fills a staging copy from the staging contracts and swaps both in together
//    (src/data/generate.ts);
//  - an import upserts the rows of each batch's written contracts in the batch's own
//    statement (src/data/award-writer.ts);
//  - anything else that writes contracts directly (tests' fixtures, a repair) calls
//    refreshContractSearch afterwards.
import type pg from 'pg';

type Queryable = pg.PoolClient | pg.Client;

export const SEARCH_TABLE = 'contract_search';

/** contract_search's columns, in order. */
export const SEARCH_COLUMNS =
  'id, award_date, amount, contractor_id, organization_id, area_id, business_category_id, search_text';

/** What joins the two titles in search_text: a keyword without it never matches across them. */
export const TITLE_SEPARATOR = '\u0001';

/** The contract_search row of a contracts-shaped row `alias`, in SEARCH_COLUMNS order. */
export function searchRowOf(alias: string): string {
  const c = alias;
  return `${c}.id, ${c}.award_date, ${c}.amount, ${c}.contractor_id, ${c}.organization_id, ${c}.area_id, ${c}.business_category_id, lower(${c}.award_title || E'\\x01' || COALESCE(${c}.notice_title, ''))`;
}

/**
 * INSERT of the contract_search rows of every contract in `source` (a contracts-shaped
 * table) into `target`, in award-date order: the rows of a time range then sit on
 * neighbouring pages, which a keyword-and-time question reads through the award-date index.
 */
export function fillSearchSql(target: string, source: string): string {
  return `INSERT INTO ${target} (${SEARCH_COLUMNS}) SELECT ${searchRowOf('c')} FROM ${source} c ORDER BY c.award_date`;
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
