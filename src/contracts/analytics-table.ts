// analyticsTable: matching contracts grouped by one dimension, one row per name with its
// count, total and average value, sorted and paginated, with the number of groups.
import type { Db } from '../db/prisma.js';
import { Prisma } from '../generated/prisma/client.js';
import { DIMENSION_SQL } from './dimensions.js';
import { chipResolutionSql, filterSql, matchesNothing, readResolvedIds, type ResolvedIds } from './filter-sql.js';
import { normalizeAnalyticsTableInput } from './normalize.js';
import { offsetOf, paginate, toNumber } from './results.js';
import { runSteps, type StepRunner } from './run.js';
import {
  UNSPECIFIED_AREA,
  type AnalyticsTableInput,
  type AnalyticsTableResult,
  type NormalizedAnalyticsTableInput,
  type RunOptions,
} from './types.js';

type TableRow = { groups: bigint; label: string | null; count: bigint | null; total: string | null; avg: string | null };

/** Sort key of the table; label ASC always breaks ties, so the order is total. */
function orderBy(n: NormalizedAnalyticsTableInput): Prisma.Sql {
  const dir = Prisma.raw(n.sortDirection === 'ASC' ? 'ASC' : 'DESC');
  const key = { TOTAL_VALUE: 'r.total', COUNT: 'r.n', AVG_VALUE: 'r.avg', LABEL: 'r.label' }[n.sortBy];
  return Prisma.sql`${Prisma.raw(key)} ${dir}, r.label ASC`;
}

/**
 * One statement: groups of matching contracts (r), and one page of them joined to a
 * single row carrying the number of groups, so a page past the end still tells the total.
 * avg = total of known amounts / contracts with a known amount (0 when none), as in Summary.
 */
function tableSql(n: NormalizedAnalyticsTableInput, where: Prisma.Sql): Prisma.Sql {
  const { table, column, nullable } = DIMENSION_SQL[n.dimension];
  const join = nullable ? Prisma.sql`LEFT JOIN` : Prisma.sql`JOIN`;
  return Prisma.sql`
    WITH g AS (
      SELECT ${column} AS id, count(*) AS n, count(c.amount) AS known, COALESCE(sum(c.amount), 0) AS total
        FROM contracts c WHERE ${where} GROUP BY ${column}
    ), r AS MATERIALIZED (
      SELECT COALESCE(d.name, ${UNSPECIFIED_AREA}::text) AS label, g.n, g.total,
             CASE WHEN g.known > 0 THEN g.total / g.known ELSE 0 END AS avg
        FROM g ${join} ${table} d ON d.id = g.id
    )
    SELECT (SELECT count(*) FROM r) AS groups, p.label, p.n AS count, p.total::text AS total, p.avg::text AS avg
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (
        SELECT r.* FROM r ORDER BY ${orderBy(n)}
         LIMIT ${n.pageSize}::int OFFSET ${offsetOf(n.page, n.pageSize)}::bigint
      ) p ON TRUE`;
}

/** Runs a validated table query on the call's connection. */
async function runTable(run: StepRunner, n: NormalizedAnalyticsTableInput): Promise<AnalyticsTableResult> {
  let ids: ResolvedIds = {};
  const resolve = chipResolutionSql(n.filters);
  if (resolve) {
    ids = readResolvedIds((await run.query<Record<string, unknown>>(resolve))[0]);
    run.step();
    if (matchesNothing(ids)) return { dimension: n.dimension, rows: [], pagination: paginate(n.page, n.pageSize, 0) };
  }
  const result = await run.query<TableRow>(tableSql(n, filterSql(n.filters, ids)));
  run.step();
  const rows = result
    .filter((r) => r.label !== null)
    .map((r) => ({ label: r.label!, count: toNumber(r.count), totalValue: toNumber(r.total), avgValue: toNumber(r.avg) }));
  return { dimension: n.dimension, rows, pagination: paginate(n.page, n.pageSize, toNumber(result[0]?.groups)) };
}

/**
 * One page of the contracts matching `input.filters` (validated: throws ValidationError)
 * grouped by `input.dimension`: label, count, total and average value per group, sorted by
 * `sortBy` (ties: label ASC), with the number of groups. Missing areas are '(unspecified)'.
 */
export async function analyticsTable(db: Db, input: AnalyticsTableInput, opts: RunOptions = {}): Promise<AnalyticsTableResult> {
  const n = normalizeAnalyticsTableInput(input);
  const steps = [
    ...(chipResolutionSql(n.filters) ? ['Matching filter chips to names'] : []),
    `Grouping contracts by ${DIMENSION_SQL[n.dimension].singular}`,
  ];
  return runSteps(db, opts, steps, (run) => runTable(run, n));
}
