// filterOptions: autocomplete for filter chips. Names of one dimension containing the
// search text (case-insensitive, literal), busiest first. Reads only the dimension table:
// its contract_count counter is refreshed by every load, so no contract is scanned.
import { databaseCall } from '../db/errors.js';
import type { Db } from '../db/prisma.js';
import { Prisma } from '../generated/prisma/client.js';
import { containsPattern } from './chips.js';
import { DIMENSION_SQL } from './dimensions.js';
import { normalizeFilterOptionsInput } from './normalize.js';
import { toNumber } from './results.js';
import type { FilterOption, FilterOptionsInput } from './types.js';

/**
 * Up to `limit` (default 20, 1..100) names of `dimension` containing `search` (trimmed,
 * at most 200 characters; empty = all), ordered by contract count descending then name;
 * `count` is the number of contracts. Throws ValidationError on bad input, ServiceUnavailableError
 * when PostgreSQL does not answer.
 */
export async function filterOptions(db: Db, input: FilterOptionsInput): Promise<FilterOption[]> {
  const n = normalizeFilterOptionsInput(input);
  const { table } = DIMENSION_SQL[n.dimension];
  // Served by the trigram index on name when searching, by (contract_count DESC, name) when not.
  const where = n.search ? Prisma.sql`WHERE name ILIKE ${containsPattern(n.search)}::text` : Prisma.empty;
  const rows = await databaseCall(() => db.$queryRaw<{ label: string; count: number }[]>(Prisma.sql`
    SELECT name AS label, contract_count AS count FROM ${table} ${where}
     ORDER BY contract_count DESC, name ASC LIMIT ${n.limit}::int`));
  return rows.map((r) => ({ dimension: n.dimension, label: r.label, count: toNumber(r.count) }));
}
