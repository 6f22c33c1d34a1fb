// Denormalised per-dimension counters (contract_count, total_value) that serve filterOptions
// ("busiest first") without scanning contracts. Recomputed after every import and seed.
import type pg from 'pg';

type Queryable = pg.PoolClient | pg.Client;

/** The four dimension tables and their foreign-key column in contracts. Fixed identifiers, never user input. */
export const DIMENSIONS = [
  { table: 'contractors', column: 'contractor_id' },
  { table: 'organizations', column: 'organization_id' },
  { table: 'areas', column: 'area_id' },
  { table: 'business_categories', column: 'business_category_id' },
] as const;

/** Recomputes contract_count and total_value (sum of known amounts) of all four dimension tables from contracts; unused rows get 0.
 *  `source` reads another table of the same shape (the generator's staging table, just before it becomes contracts). */
export async function refreshDimensionStats(client: Queryable, source: 'contracts' | 'contracts_staging' = 'contracts'): Promise<void> {
  for (const { table, column } of DIMENSIONS) {
    // One aggregate pass per table; the WHERE skips rows whose counters are already right,
    // so a re-import that changed little writes little (and leaves fewer dead tuples).
    await client.query(`
      UPDATE ${table} AS d
         SET contract_count = COALESCE(s.n, 0), total_value = COALESCE(s.total, 0)
        FROM ${table} AS d2
        LEFT JOIN (SELECT ${column} AS id, count(*)::int AS n, COALESCE(sum(amount), 0) AS total
                     FROM ${source} WHERE ${column} IS NOT NULL GROUP BY ${column}) AS s ON s.id = d2.id
       WHERE d.id = d2.id
         AND (d.contract_count, d.total_value) IS DISTINCT FROM (COALESCE(s.n, 0), COALESCE(s.total, 0))`);
  }
}

/** Deletes dimension rows that no contract references (run after refreshDimensionStats, in the same transaction). */
export async function pruneUnusedDimensions(client: Queryable): Promise<void> {
  for (const { table, column } of DIMENSIONS) {
    // contract_count = 0 was just computed from contracts; NOT EXISTS double-checks
    // against the foreign key so that a stale counter can never delete a referenced row.
    await client.query(`
      DELETE FROM ${table} AS d
       WHERE d.contract_count = 0
         AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.${column} = d.id)`);
  }
}
