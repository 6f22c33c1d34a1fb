// A normalised filter as SQL over `contracts c`. Every value is a bound parameter
// (LIKE patterns included, escaped); only fixed identifiers are spliced in.
//
// Dimension chips are resolved first, in one statement, to id lists against the small
// dimension tables (trigram indexes on the names). The contract query then filters on
// `c.contractor_id = ANY($ids)`, which the planner estimates well (it sees the ids) and
// serves from the dimension indexes; a chip that matches no name empties the result
// before any contract is read.
import { Prisma } from '../generated/prisma/client.js';
import { containsPattern } from './chips.js';
import { DIMENSION_SQL, dimensionChips } from './dimensions.js';
import type { StepRunner } from './run.js';
import type { Chip, Dimension, NormalizedFilter } from './types.js';

/** Ids of the dimension rows each chip dimension matched; absent = no filter on that dimension. */
export type ResolvedIds = Partial<Record<Dimension, number[]>>;

/** `expr` matches every part of some chip: OR over chips of AND over parts. */
function chipsMatch(chips: Chip[], partMatch: (pattern: string) => Prisma.Sql): Prisma.Sql {
  const perChip = chips.map((parts) => Prisma.sql`(${Prisma.join(parts.map((p) => partMatch(containsPattern(p))), ' AND ')})`);
  return Prisma.sql`(${Prisma.join(perChip, ' OR ')})`;
}

/** True when the filter has chips on at least one dimension (contractor, organization, area, category). */
export function hasDimensionChips(filter: NormalizedFilter): boolean {
  return dimensionChips(filter).some((d) => d.chips.length > 0);
}

/** True when the filter restricts nothing. */
export function isEmptyFilter(filter: NormalizedFilter): boolean {
  return (
    !hasDimensionChips(filter) &&
    filter.keywords.length === 0 &&
    filter.timeRanges.length === 0 &&
    filter.minAmount === null &&
    filter.maxAmount === null
  );
}

/**
 * One statement resolving every chip dimension to the sorted ids of matching names, one
 * int[] column per dimension (named after it), or null when the filter has no dimension chips.
 */
export function chipResolutionSql(filter: NormalizedFilter): Prisma.Sql | null {
  const columns = dimensionChips(filter)
    .filter((d) => d.chips.length > 0)
    .map(({ dimension, chips }) => {
      const { table } = DIMENSION_SQL[dimension];
      const match = chipsMatch(chips, (pattern) => Prisma.sql`name ILIKE ${pattern}::text`);
      return Prisma.sql`ARRAY(SELECT id FROM ${table} WHERE ${match} ORDER BY id) AS ${Prisma.raw(`"${dimension}"`)}`;
    });
  return columns.length ? Prisma.sql`SELECT ${Prisma.join(columns, ', ')}` : null;
}

/** Reads the row returned by chipResolutionSql. */
export function readResolvedIds(row: Record<string, unknown> | undefined): ResolvedIds {
  const ids: ResolvedIds = {};
  for (const dimension of Object.keys(DIMENSION_SQL) as Dimension[]) {
    const v = row?.[dimension];
    if (Array.isArray(v)) ids[dimension] = v.map(Number);
  }
  return ids;
}

/** True when some chip dimension matched no name at all: no contract can match. */
export function matchesNothing(ids: ResolvedIds): boolean {
  return Object.values(ids).some((list) => list.length === 0);
}

/**
 * Resolves the filter's dimension chips to ids as one step of `run` (no step without chips);
 * null when some dimension matched no name, so no contract can match.
 */
export async function resolveChips(run: StepRunner, filter: NormalizedFilter): Promise<ResolvedIds | null> {
  const resolve = chipResolutionSql(filter);
  if (!resolve) return {};
  const ids = readResolvedIds((await run.query<Record<string, unknown>>(resolve))[0]);
  run.step();
  return matchesNothing(ids) ? null : ids;
}

/**
 * The WHERE condition over `contracts c` for `filter`, with dimension chips already
 * resolved to `ids`. Chips of one dimension are OR'ed, dimensions AND'ed, time ranges OR'ed.
 */
export function filterSql(filter: NormalizedFilter, ids: ResolvedIds): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  for (const [dimension, list] of Object.entries(ids) as [Dimension, number[]][]) {
    // A missing area (NULL) never equals an id: no chip matches a missing area.
    conditions.push(Prisma.sql`${DIMENSION_SQL[dimension].column} = ANY(${list}::int[])`);
  }
  if (filter.keywords.length) {
    conditions.push(chipsMatch(filter.keywords, (p) => Prisma.sql`(c.award_title ILIKE ${p}::text OR c.notice_title ILIKE ${p}::text)`));
  }
  if (filter.timeRanges.length) {
    const ranges = filter.timeRanges.map((r) => {
      const bounds: Prisma.Sql[] = [];
      if (r.from !== null) bounds.push(Prisma.sql`c.award_date >= ${r.from}::date`);
      if (r.to !== null) bounds.push(Prisma.sql`c.award_date <= ${r.to}::date`);
      return Prisma.sql`(${Prisma.join(bounds, ' AND ')})`;
    });
    conditions.push(Prisma.sql`(${Prisma.join(ranges, ' OR ')})`);
  }
  // Comparisons with NULL are never true: an amount filter excludes contracts without an amount.
  // Amounts are bound as text and cast to numeric so the comparison uses the amount index
  // and is exact (a float8 parameter would cast the column instead).
  if (filter.minAmount !== null) conditions.push(Prisma.sql`c.amount >= ${String(filter.minAmount)}::numeric`);
  if (filter.maxAmount !== null) conditions.push(Prisma.sql`c.amount <= ${String(filter.maxAmount)}::numeric`);
  return conditions.length ? Prisma.join(conditions, ' AND ') : Prisma.sql`TRUE`;
}
