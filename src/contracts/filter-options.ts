// filterOptions: autocomplete for filter chips. Names of one dimension containing the
// search text (case-insensitive, literal), busiest first. Reads only the dimension table:
// its contract_count counter is refreshed by every load, so no contract is scanned.
import { databaseCall } from '../db/errors.js';
// A plain read of one table, so Prisma Client (see CONTRIBUTING.md, "Prisma Client or SQL").
import type { Db } from '../db/prisma.js';
import { escapeLike } from './chips.js';
import { normalizeFilterOptionsInput } from './normalize.js';
import type { Dimension, FilterOption, FilterOptionsInput } from './types.js';

/** What filterOptions asks of a dimension table; every dimension model has `name` and `contractCount`. */
type OptionsTable = {
  findMany(args: {
    where: { name?: { contains: string; mode: 'insensitive' } };
    orderBy: [{ contractCount: 'desc' }, { name: 'asc' }];
    take: number;
    select: { name: true; contractCount: true };
  }): Promise<{ name: string; contractCount: number }[]>;
};

const TABLES: Record<Dimension, (db: Db) => OptionsTable> = {
  CONTRACTOR: (db) => db.contractor,
  ORGANIZATION: (db) => db.organization,
  AREA: (db) => db.area,
  BUSINESS_CATEGORY: (db) => db.businessCategory,
};

/**
 * Up to `limit` (default 20, 1..100) names of `dimension` containing `search` (trimmed,
 * at most 200 characters; empty = all), ordered by contract count descending then name;
 * `count` is the number of contracts. Throws ValidationError on bad input, ServiceUnavailableError
 * when PostgreSQL does not answer.
 */
export async function filterOptions(db: Db, input: FilterOptionsInput): Promise<FilterOption[]> {
  const n = normalizeFilterOptionsInput(input);
  // Served by the trigram index on name when searching (Prisma turns `contains` into
  // ILIKE '%' || text || '%' without escaping LIKE's wildcards, hence escapeLike), by
  // `<table>_busiest` (contract_count DESC, name) when not.
  const rows = await databaseCall(() => TABLES[n.dimension](db).findMany({
    where: n.search ? { name: { contains: escapeLike(n.search), mode: 'insensitive' } } : {},
    orderBy: [{ contractCount: 'desc' }, { name: 'asc' }],
    take: n.limit,
    select: { name: true, contractCount: true },
  }));
  return rows.map((r) => ({ dimension: n.dimension, label: r.name, count: r.contractCount }));
}
