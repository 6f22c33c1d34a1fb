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

/** Tables counters can be computed from: contracts, or the generator's staging table just before it replaces contracts. */
export type StatsSource = 'contracts' | 'contracts_staging';

// GROUPING() bitmask of each grouping set below: a bit is set for every column NOT grouped.
const GROUPING_MASK: Record<(typeof DIMENSIONS)[number]['table'], number> = {
  contractors: 0b0111,
  organizations: 0b1011,
  areas: 0b1101,
  business_categories: 0b1110,
};

/** Aggregates `source` per dimension into the session's temporary table dimension_stats, for applyDimensionStats. */
export async function computeDimensionStats(client: Queryable, source: StatsSource = 'contracts'): Promise<void> {
  // One scan with four hash aggregates instead of four scans; ~100k groups need more than
  // the default 4MB of work_mem to stay in memory. Session-level SET (restored below)
  // rather than SET LOCAL, so this also works outside a transaction block.
  const { rows } = await client.query<{ work_mem: string }>('SHOW work_mem');
  await client.query('DROP TABLE IF EXISTS pg_temp.dimension_stats');
  await client.query("SET work_mem = '256MB'");
  try {
    await client.query(`
      CREATE TEMP TABLE dimension_stats AS
      SELECT GROUPING(contractor_id, organization_id, area_id, business_category_id) AS g,
             COALESCE(contractor_id, organization_id, area_id, business_category_id) AS id,
             count(*)::int AS n, COALESCE(sum(amount), 0) AS total
        FROM ${source}
       GROUP BY GROUPING SETS ((contractor_id), (organization_id), (area_id), (business_category_id))`);
  } finally {
    await client.query('SELECT set_config($1, $2, false)', ['work_mem', rows[0]!.work_mem]);
  }
}

/** In the same transaction: writes the computed counters, 0 for rows without contracts; only rows that change are written. */
export async function applyDimensionStats(client: Queryable): Promise<void> {
  for (const { table } of DIMENSIONS) {
    // Rows whose counters are already right are skipped: a re-import that changed little
    // writes little (each write also touches the name's trigram index).
    await client.query(
      `UPDATE ${table} AS d SET contract_count = COALESCE(s.n, 0), total_value = COALESCE(s.total, 0)
         FROM ${table} AS d2 LEFT JOIN dimension_stats AS s ON s.id = d2.id AND s.g = $1
        WHERE d.id = d2.id AND (d.contract_count, d.total_value) IS DISTINCT FROM (COALESCE(s.n, 0), COALESCE(s.total, 0))`,
      [GROUPING_MASK[table]],
    );
  }
  await client.query('DROP TABLE dimension_stats');
}

/** Recomputes contract_count and total_value (sum of known amounts) of all four dimension tables from contracts; unused rows get 0.
 *  Inside a transaction the counters change atomically with it; outside, table by table. */
export async function refreshDimensionStats(client: Queryable): Promise<void> {
  await computeDimensionStats(client, 'contracts');
  await applyDimensionStats(client);
}

/** Deletes dimension rows that no contract references. */
export async function pruneUnusedDimensions(client: Queryable): Promise<void> {
  for (const { table, column } of DIMENSIONS) {
    await client.query(`DELETE FROM ${table} AS d WHERE NOT EXISTS (SELECT 1 FROM contracts c WHERE c.${column} = d.id)`);
  }
}
