// SQL of the analytics table: groups of contracts per name of one dimension, one page of
// them in a total order, and the number of groups.
import { Prisma } from '../generated/prisma/client.js';
import { DIMENSION_SQL } from './dimensions.js';
import { offsetOf } from './results.js';
import { UNSPECIFIED_AREA, type Dimension, type NormalizedAnalyticsTableInput as NormalizedTableInput } from './types.js';

/** Groups (id, n, known, total) of the contracts matching `where` in `from` (see matchSource); id NULL = no area. */
export function groupsFromContractsSql(dimension: Dimension, { from, where }: { from: Prisma.Sql; where: Prisma.Sql }): Prisma.Sql {
  const { column } = DIMENSION_SQL[dimension];
  return Prisma.sql`
    SELECT ${column} AS id, count(*) AS n, count(c.amount) AS known, COALESCE(sum(c.amount), 0) AS total
      FROM ${from} WHERE ${where} GROUP BY ${column}`;
}

/**
 * The average of a group row `alias` (known, total): total of known amounts / contracts with
 * a known amount, 0 when none; numeric division in SQL. Buckets and table rows both use it,
 * so the same group has the same average in a chart and in a table.
 */
export function avgSql(alias: string): Prisma.Sql {
  const a = Prisma.raw(alias);
  return Prisma.sql`CASE WHEN ${a}.known > 0 THEN ${a}.total / ${a}.known ELSE 0 END`;
}

/** Sort keys over a group row `g` (id, n, known, total); the average only where needed. */
const SORT_KEYS = { TOTAL_VALUE: Prisma.raw('g.total'), COUNT: Prisma.raw('g.n'), AVG_VALUE: avgSql('g') } as const;

/**
 * One page of `groups` (a query yielding id, n, known, total), with the number of groups in
 * every row (one row of NULLs when the page is empty). avg = total of known amounts /
 * contracts with a known amount, 0 when none. Order: sort key, then label ASC.
 *
 * Names are looked up only for the groups that can be on the page: the page's first and
 * last sort-key values are found without names (the multiset of keys at positions
 * offset..offset+size-1 does not depend on how ties are broken), the groups with a key in
 * that range get their names, and the rows before the range are counted to know where the
 * page starts among them. Sorting by LABEL needs every name, and looks them all up.
 */
export function tablePageSql(n: NormalizedTableInput, groups: Prisma.Sql): Prisma.Sql {
  const { table } = DIMENSION_SQL[n.dimension];
  const asc = n.sortDirection === 'ASC';
  const dir = Prisma.raw(asc ? 'ASC' : 'DESC');
  const label = Prisma.sql`COALESCE((SELECT d.name FROM ${table} d WHERE d.id = g.id), ${UNSPECIFIED_AREA}::text)`;
  const avg = avgSql('g');
  const offset = offsetOf(n.page, n.pageSize);
  if (n.sortBy === 'LABEL') {
    return Prisma.sql`
      WITH k AS MATERIALIZED (SELECT ${label} AS label, g.* FROM (${groups}) g)
      SELECT (SELECT count(*) FROM k) AS groups, g.label, g.n AS count, g.total::text AS total, (${avg})::text AS avg
        FROM (SELECT 1) one
        LEFT JOIN LATERAL (SELECT k.* FROM k ORDER BY k.label ${dir} LIMIT ${n.pageSize}::int OFFSET ${offset}::bigint) g ON TRUE`;
  }
  const lastOffset = (BigInt(offset) + BigInt(n.pageSize) - 1n).toString();
  const inRange = asc
    ? Prisma.sql`g.sort_key >= b.first AND (b.last IS NULL OR g.sort_key <= b.last)`
    : Prisma.sql`g.sort_key <= b.first AND (b.last IS NULL OR g.sort_key >= b.last)`;
  const before = asc ? Prisma.sql`k.sort_key < b.first` : Prisma.sql`k.sort_key > b.first`;
  return Prisma.sql`
    WITH k AS MATERIALIZED (SELECT g.*, ${SORT_KEYS[n.sortBy]} AS sort_key FROM (${groups}) g),
    b AS (
      SELECT (SELECT sort_key FROM k ORDER BY sort_key ${dir} OFFSET ${offset}::bigint LIMIT 1) AS first,
             (SELECT sort_key FROM k ORDER BY sort_key ${dir} OFFSET ${lastOffset}::bigint LIMIT 1) AS last
    ),
    candidates AS (
      SELECT ${label} AS label, g.n, g.total, ${avg} AS avg, g.sort_key FROM k g, b WHERE ${inRange}
    )
    SELECT (SELECT count(*) FROM k) AS groups, p.label, p.n AS count, p.total::text AS total, p.avg::text AS avg
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (
        SELECT candidates.* FROM candidates ORDER BY candidates.sort_key ${dir}, candidates.label ASC
         LIMIT ${n.pageSize}::int OFFSET (SELECT ${offset}::bigint - count(*) FROM k, b WHERE ${before})
      ) p ON TRUE`;
}

/**
 * The page of tablePageSql for ALL contracts sorted by total value or count, straight from
 * the all-time rollup rows through their (dimension, grain, total|n DESC) indexes: the page's
 * first and last keys are index offsets, only the rows between them get names, and nothing
 * reads the contracts. Null for the other sorts (tablePageSql over the rollup groups then).
 */
export function allTimeTablePageSql(n: NormalizedTableInput, code: number): Prisma.Sql | null {
  if (n.sortBy !== 'TOTAL_VALUE' && n.sortBy !== 'COUNT') return null;
  const { table } = DIMENSION_SQL[n.dimension];
  const key = Prisma.raw(n.sortBy === 'TOTAL_VALUE' ? 'g.total' : 'g.n');
  const asc = n.sortDirection === 'ASC';
  const dir = Prisma.raw(asc ? 'ASC' : 'DESC');
  const rows = Prisma.sql`contract_dimension_totals g WHERE g.dimension = ${code}::smallint AND g.grain = 0`;
  const offset = offsetOf(n.page, n.pageSize);
  const lastOffset = (BigInt(offset) + BigInt(n.pageSize) - 1n).toString();
  // Bounds as scalar subqueries, so that they become index conditions; an open end (the
  // page runs past the last group) is a sentinel beyond every key (keys are >= 0).
  const first = Prisma.sql`(SELECT first FROM b)`;
  const last = Prisma.sql`COALESCE((SELECT last FROM b), ${Prisma.raw(asc ? (n.sortBy === 'COUNT' ? '9000000000000000000::bigint' : '1e30::numeric') : '-1')})`;
  const inRange = asc ? Prisma.sql`${key} >= ${first} AND ${key} <= ${last}` : Prisma.sql`${key} <= ${first} AND ${key} >= ${last}`;
  const before = asc ? Prisma.sql`${key} < ${first}` : Prisma.sql`${key} > ${first}`;
  return Prisma.sql`
    WITH b AS (
      SELECT (SELECT ${key} FROM ${rows} ORDER BY ${key} ${dir} OFFSET ${offset}::bigint LIMIT 1) AS first,
             (SELECT ${key} FROM ${rows} ORDER BY ${key} ${dir} OFFSET ${lastOffset}::bigint LIMIT 1) AS last
    ),
    candidates AS (
      SELECT COALESCE((SELECT d.name FROM ${table} d WHERE d.id = g.id), ${UNSPECIFIED_AREA}::text) AS label, g.n, g.total,
             ${avgSql('g')} AS avg, ${key} AS sort_key
        FROM ${rows} AND ${inRange}
    )
    SELECT (SELECT count(*) FROM ${rows}) AS groups, p.label, p.n AS count, p.total::text AS total, p.avg::text AS avg
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (
        SELECT candidates.* FROM candidates ORDER BY candidates.sort_key ${dir}, candidates.label ASC
         LIMIT ${n.pageSize}::int OFFSET (SELECT ${offset}::bigint - count(*) FROM ${rows} AND ${before})
      ) p ON TRUE`;
}
