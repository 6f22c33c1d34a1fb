// analyticsTable: matching contracts grouped by one dimension, one row per name with its
// count, total and average value, sorted and paginated, with the number of groups.
//
// Without a filter the groups are every name of the dimension; they come from the
// dimension counters (refreshed by every load) when those add up to the contracts' own
// totals, instead of grouping every contract (see analytics-counters.ts).
import type { Db } from '../db/prisma.js';
import { Prisma } from '../generated/prisma/client.js';
import { countersAgree, type ExactTotals } from './analytics-counters.js';
import { DIMENSION_SQL } from './dimensions.js';
import { chipResolutionSql, filterSql, isEmptyFilter, resolveChips } from './filter-sql.js';
import { normalizeAnalyticsTableInput } from './normalize.js';
import { paginate, toNumber } from './results.js';
import { runSteps, type StepRunner } from './run.js';
import { groupsFromContractsSql, groupsFromCountersSql, tablePageSql } from './table-sql.js';
import type { AnalyticsTableInput, AnalyticsTableResult, NormalizedAnalyticsTableInput, RunOptions } from './types.js';

type TableRow = { groups: bigint; label: string | null; count: bigint | null; total: string | null; avg: string | null };

/** Runs a validated table query on the call's connection. */
async function runTable(run: StepRunner, n: NormalizedAnalyticsTableInput): Promise<AnalyticsTableResult> {
  const ids = await resolveChips(run, n.filters);
  if (!ids) return { dimension: n.dimension, rows: [], pagination: paginate(n.page, n.pageSize, 0) };
  const where = filterSql(n.filters, ids);
  let groups = groupsFromContractsSql(n.dimension, where);
  if (isEmptyFilter(n.filters)) {
    const [totals] = await run.query<{ count: bigint; total: string }>(
      Prisma.sql`SELECT count(*) AS count, COALESCE(sum(c.amount), 0)::text AS total FROM contracts c`,
    );
    const exact: ExactTotals = { count: BigInt(totals?.count ?? 0n), total: totals?.total ?? '0' };
    if (await countersAgree(run, exact)) groups = groupsFromCountersSql(n.dimension);
    run.step();
  }
  const result = await run.query<TableRow>(tablePageSql(n, groups));
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
    ...(isEmptyFilter(n.filters) ? ['Counting all contracts'] : []),
    `Grouping contracts by ${DIMENSION_SQL[n.dimension].singular}`,
  ];
  return runSteps(db, opts, steps, (run) => runTable(run, n));
}
