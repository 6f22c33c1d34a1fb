// A normalised filter as SQL over `contracts c`. Every value is a bound parameter
// (LIKE patterns included, escaped); only fixed identifiers are spliced in.
//
// Dimension chips are resolved first, in one statement, to id lists against the small
// dimension tables (trigram indexes on the names). The contract query then filters on
// `c.contractor_id = ANY($ids)`, which the planner estimates well (it sees the ids) and
// serves from the dimension indexes; a chip that matches no name empties the result
// before any contract is read.
//
// Entities (exact names, for drill-down) go through the same step: their names are looked
// up with the dimension table's unique name index (`name = ANY($names)`), intersected with
// the dimension's chips if it has any, and the contracts are then filtered by id exactly
// like chips, with the covering dimension indexes. The AREA entity '(unspecified)' selects
// the contracts without an area (`c.area_id IS NULL`), which no chip ever matches.
import { Prisma } from '../generated/prisma/client.js';
import { SEARCH_PARTITIONS, TITLE_SEPARATOR } from '../data/contract-search.js';
import { containsPattern } from './chips.js';
import { DIMENSION_SQL, dimensionChips } from './dimensions.js';
import { entitiesOf } from './entities.js';
import { centsAtLeast, centsAtMost } from '../data/amount-classes.js';
import type { Selection } from './contract-columns.js';
import { DIMENSION_CODE } from './rollups.js';
import type { StepRunner } from './run.js';
import type { Chip, Dimension, NormalizedFilter } from './types.js';

/** Ids of the dimension rows each chip dimension matched; absent = no filter on that dimension. */
export type ResolvedIds = Partial<Record<Dimension, number[]>>;

/** `expr` matches every part of some chip: OR over chips of AND over parts. */
function chipsMatch(chips: Chip[], partMatch: (pattern: string) => Prisma.Sql): Prisma.Sql {
  const perChip = chips.map((parts) => Prisma.sql`(${Prisma.join(parts.map((p) => partMatch(containsPattern(p))), ' AND ')})`);
  return Prisma.sql`(${Prisma.join(perChip, ' OR ')})`;
}

/** True when the filter has chips or entities on at least one dimension (contractor, organization, area, category). */
export function hasDimensionChips(filter: NormalizedFilter): boolean {
  return filter.entities.length > 0 || dimensionChips(filter).some((d) => d.chips.length > 0);
}

/** True when contracts without an area match the filter's area condition: an AREA entity
 *  '(unspecified)' and no area chip (chips never match a missing area). */
function matchesMissingArea(filter: NormalizedFilter): boolean {
  return filter.areas.length === 0 && (entitiesOf(filter.entities, 'AREA')?.missing ?? false);
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
 * One statement resolving every dimension with chips or entities to the sorted ids of the
 * names that match (some chip, AND exactly some entity name when it has entities), one
 * int[] column per dimension (named after it), or null when no dimension has either.
 */
export function chipResolutionSql(filter: NormalizedFilter): Prisma.Sql | null {
  const columns = dimensionChips(filter).flatMap(({ dimension, chips }) => {
    const entities = entitiesOf(filter.entities, dimension);
    if (chips.length === 0 && !entities) return [];
    const { table } = DIMENSION_SQL[dimension];
    const conditions: Prisma.Sql[] = [];
    if (chips.length) conditions.push(chipsMatch(chips, (pattern) => Prisma.sql`name ILIKE ${pattern}::text`));
    // Exact, case-sensitive, served by the unique index on name.
    // (Only '(unspecified)' among the AREA entities: no name to look up, none selected by name.)
    if (entities) conditions.push(entities.names.length ? Prisma.sql`name = ANY(${entities.names}::text[])` : Prisma.sql`FALSE`);
    return [Prisma.sql`ARRAY(SELECT id FROM ${table} WHERE ${Prisma.join(conditions, ' AND ')} ORDER BY id) AS ${Prisma.raw(`"${dimension}"`)}`];
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

/** True when some resolved dimension matched no name at all (and, for areas, does not select
 *  the contracts without one): no contract can match. */
export function matchesNothing(ids: ResolvedIds, filter: NormalizedFilter): boolean {
  return (Object.entries(ids) as [Dimension, number[]][]).some(
    ([dimension, list]) => list.length === 0 && !(dimension === 'AREA' && matchesMissingArea(filter)),
  );
}

/**
 * Resolved chips of this process, by dataset version and the filter's chips and entities,
 * least recently used first. Names change only in loads, and every load bumps the dataset
 * version in the transaction that adds them, so an entry of the version a call's snapshot
 * reads is exactly what resolving again would give. A common chip is worth keeping: at 5.5M
 * contracts "construction" matches 7,956 contractors, ~13 ms to resolve on each question of
 * a dashboard. Bounded by entries and by ids held.
 */
const chipCache = new Map<string, ResolvedIds>();
const CHIP_CACHE_ENTRIES = 1000;
const CHIP_CACHE_IDS = 2_000_000;
let chipCacheIds = 0;
const idCount = (ids: ResolvedIds) => Object.values(ids).reduce((n, list) => n + list.length, 0);

function cachedChips(key: string): ResolvedIds | undefined {
  const ids = chipCache.get(key);
  if (ids) {
    chipCache.delete(key);
    chipCache.set(key, ids);
  }
  return ids;
}

function cacheChips(key: string, ids: ResolvedIds): void {
  for (const list of Object.values(ids)) Object.freeze(list); // shared: nobody may change them
  chipCache.set(key, ids);
  chipCacheIds += idCount(ids);
  for (const [oldest, old] of chipCache) {
    if (chipCache.size <= CHIP_CACHE_ENTRIES && chipCacheIds <= CHIP_CACHE_IDS) break;
    chipCache.delete(oldest);
    chipCacheIds -= idCount(old);
  }
}

/**
 * Resolves the filter's dimension chips to ids as one step of `run` (no step without chips),
 * from this process's cache when the snapshot's dataset version has them; null when some
 * dimension matched no name, so no contract can match.
 */
export async function resolveChips(run: StepRunner, filter: NormalizedFilter): Promise<ResolvedIds | null> {
  const resolve = chipResolutionSql(filter);
  if (!resolve) return {};
  const key = `${await run.datasetVersion()}\u0000${JSON.stringify([dimensionChips(filter), filter.entities])}`;
  let ids = cachedChips(key);
  if (!ids) {
    ids = readResolvedIds((await run.query<Record<string, unknown>>(resolve))[0]);
    cacheChips(key, ids);
  }
  run.step();
  return matchesNothing(ids, filter) ? null : ids;
}

/**
 * Keyword chips over contract_search row `alias`: a part matches when either title contains
 * it, case-insensitively. `lower(title) LIKE lower(pattern)` is what ILIKE itself computes
 * in a UTF-8 database (it lower-cases both, then matches); search_text holds both titles,
 * lower-cased once, joined by U+0001 (or only the one that contains the other: the same
 * substrings), so a literal part without that character matches it exactly when it
 * matches one of the titles. A part with it (no real keyword has one) is
 * matched against the titles themselves, among the rows whose text matches it (a match
 * within a title is one in the text too): the trigram index still bounds the work.
 */
function keywordsMatch(keywords: Chip[], alias: string): Prisma.Sql {
  const s = Prisma.raw(alias);
  return chipsMatch(keywords, (p) =>
    p.includes(TITLE_SEPARATOR)
      ? Prisma.sql`(${s}.search_text LIKE lower(${p}::text) AND EXISTS (SELECT 1 FROM contracts x
          WHERE x.id = ${s}.id AND (lower(x.award_title) LIKE lower(${p}::text) OR lower(x.notice_title) LIKE lower(${p}::text))))`
      : Prisma.sql`${s}.search_text LIKE lower(${p}::text)`,
  );
}

/**
 * Where a filter's matching contracts are counted and charted from, as `c`, and the
 * filter over it: with keyword chips, contract_search (the narrow, lower-cased copy that
 * carries every column a filter or chart reads), otherwise the contracts. `parts`: the
 * same rows as `from`, in pieces a statement can read each in a process of its own
 * (contract_search's partitions).
 */
export function matchSource(filter: NormalizedFilter, ids: ResolvedIds): MatchSource {
  if (filter.keywords.length) {
    return {
      from: Prisma.sql`contract_search c`,
      parts: SEARCH_PARTITIONS.map((p) => Prisma.sql`${Prisma.raw(p)} c`),
      where: filterSql(filter, ids, 'contract_search'),
    };
  }
  return { from: Prisma.sql`contracts c`, parts: [Prisma.sql`contracts c`], where: filterSql(filter, ids) };
}

export type MatchSource = { from: Prisma.Sql; parts: Prisma.Sql[]; where: Prisma.Sql };

/**
 * The filter as a selection over the contract columns (src/contracts/contract-columns.ts):
 * the same conditions as filterSql's for dimension ids (a missing area as area 0), time
 * ranges and amount bounds (in cents, from the decimal filterSql binds), or null when the
 * filter has keywords (PostgreSQL finds those matches: matchSource).
 */
export function selectionOf(filter: NormalizedFilter, ids: ResolvedIds): Selection | null {
  if (filter.keywords.length) return null;
  const dimensions = (Object.entries(ids) as [Dimension, number[]][]).map(([dimension, list]) => ({
    code: DIMENSION_CODE[dimension],
    ids: dimension === 'AREA' && matchesMissingArea(filter) ? [...list, 0] : list,
  }));
  return {
    dimensions,
    ranges: filter.timeRanges,
    minCents: filter.minAmount === null ? null : centsAtLeast(filter.minAmount),
    maxCents: filter.maxAmount === null ? null : centsAtMost(filter.maxAmount),
  };
}

/**
 * The WHERE condition over `c` for `filter`, with dimension chips and entities already
 * resolved to `ids`. Chips of one dimension are OR'ed, entities of one dimension OR'ed,
 * dimensions AND'ed, time ranges OR'ed. `c` is a contracts row (keywords through its
 * contract_search row), or a contract_search row itself.
 */
export function filterSql(filter: NormalizedFilter, ids: ResolvedIds, on: 'contracts' | 'contract_search' = 'contracts'): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  for (const [dimension, list] of Object.entries(ids) as [Dimension, number[]][]) {
    const { column } = DIMENSION_SQL[dimension];
    // A missing area (NULL) never equals an id: no chip matches a missing area; only the
    // AREA entity '(unspecified)' selects it.
    if (dimension === 'AREA' && matchesMissingArea(filter)) {
      conditions.push(list.length ? Prisma.sql`(${column} = ANY(${list}::int[]) OR ${column} IS NULL)` : Prisma.sql`${column} IS NULL`);
    } else {
      conditions.push(Prisma.sql`${column} = ANY(${list}::int[])`);
    }
  }
  if (filter.keywords.length) {
    conditions.push(
      on === 'contract_search'
        ? keywordsMatch(filter.keywords, 'c')
        : Prisma.sql`c.id IN (SELECT s.id FROM contract_search s WHERE ${keywordsMatch(filter.keywords, 's')})`,
    );
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
