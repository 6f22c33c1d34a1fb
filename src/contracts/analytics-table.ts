// analyticsTable: matching contracts grouped by one dimension, one row per name with its
// count, total and average value, sorted and paginated, with the number of groups.
//
// Unfiltered or filtered by time ranges only, the groups come from the rollups (rollups.ts)
// when they describe the data, instead of grouping every matching contract.
import type { Db } from '../db/prisma.js';
import { DIMENSION_SQL } from './dimensions.js';
import { groupsOfFilter } from './contract-columns.js';
import { chipResolutionSql, matchSource, resolveChips, type ResolvedIds } from './filter-sql.js';
import { normalizeAnalyticsTableInput } from './normalize.js';
import { cellPlanOf, edgesOf, monthCellsOf, pageCandidates, pageOfCandidatesSql, pageOfGroupArrays } from './month-cells.js';
import { offsetOf, paginate, toNumber } from './results.js';
import { runSteps, type StepRunner } from './run.js';
import type { Prisma } from '../generated/prisma/client.js';
import { categoryGroupsSql, DATA_BOUNDS_SQL, DIMENSION_CODE, groupsFromRollupsSql, isCategoryChipFilter, isTimeOnlyFilter, NO_PIECES, planRollups, type Pieces } from './rollups.js';
import { allTimeTablePageSql, groupsFromContractsSql, tablePageSql } from './table-sql.js';
import type { AnalyticsTableInput, AnalyticsTableResult, NormalizedAnalyticsTableInput, RunOptions } from './types.js';

/**
 * The page's statement from the in-memory month cells (month-cells.ts) plus the leftover
 * days, or null when they are not loaded for this snapshot's rollups (SQL then).
 */
async function pageFromMonthCells(db: Db, run: StepRunner, n: NormalizedAnalyticsTableInput, pieces: Pieces): Promise<Prisma.Sql | null> {
  const cells = await monthCellsOf(db, run);
  if (!cells) return null;
  const plan = cellPlanOf(pieces);
  const edges = await edgesOf(run, [n.dimension], plan);
  const order = { sortBy: n.sortBy, asc: n.sortDirection === 'ASC', offset: Number(offsetOf(n.page, n.pageSize)), size: n.pageSize };
  const candidates = pageCandidates(cells, n.dimension, plan.months, edges, order);
  return candidates && pageOfCandidatesSql(n.dimension, candidates, order);
}

/**
 * The page's statement from the contract columns in memory (contract-columns.ts), for a
 * filter the rollups cannot answer, sorted by a value (label sorts stay SQL), or null when
 * they are not held for this snapshot or leave the filter to SQL (groupsOfFilter).
 */
async function pageFromColumns(db: Db, run: StepRunner, n: NormalizedAnalyticsTableInput, ids: ResolvedIds): Promise<Prisma.Sql | null> {
  if (n.sortBy === 'LABEL') return null;
  const cells = await monthCellsOf(db, run);
  if (!cells?.columns) return null;
  const groups = await groupsOfFilter(run, cells.columns, n.filters, ids, [n.dimension], false);
  if (!groups) return null;
  const order = { sortBy: n.sortBy, asc: n.sortDirection === 'ASC', offset: Number(offsetOf(n.page, n.pageSize)), size: n.pageSize };
  const candidates = pageOfGroupArrays(groups.get(DIMENSION_CODE[n.dimension])!, order, cells.ranks.get(DIMENSION_CODE[n.dimension]));
  return pageOfCandidatesSql(n.dimension, candidates, order);
}

type TableRow = { groups: bigint; label: string | null; count: bigint | null; total: string | null; avg: string | null };

/** Runs a validated table query on the call's connection. */
async function runTable(db: Db, run: StepRunner, n: NormalizedAnalyticsTableInput): Promise<AnalyticsTableResult> {
  const ids = await resolveChips(run, n.filters);
  if (!ids) return { dimension: n.dimension, rows: [], pagination: paginate(n.page, n.pageSize, 0) };
  let groups = groupsFromContractsSql(n.dimension, matchSource(n.filters, ids));
  let page: Prisma.Sql | null = null;
  if (isCategoryChipFilter(n.filters) && (await run.rollupsValid())) {
    groups = categoryGroupsSql(n.dimension, ids.BUSINESS_CATEGORY!); // business-category chips alone, all time
  } else if (isTimeOnlyFilter(n.filters)) {
    if (await run.rollupsValid()) {
      const [bounds] = await run.query<{ first: string | null; last: string | null }>(DATA_BOUNDS_SQL);
      const plan = planRollups(n.filters, bounds);
      groups = groupsFromRollupsSql(n.dimension, 'empty' in plan ? NO_PIECES : plan.pieces);
      if (!('empty' in plan) && plan.pieces === null) page = allTimeTablePageSql(n, DIMENSION_CODE[n.dimension]);
      else if (!('empty' in plan) && plan.pieces) page = await pageFromMonthCells(db, run, n, plan.pieces);
    }
    run.step();
  } else {
    page = await pageFromColumns(db, run, n, ids);
  }
  const result = await run.query<TableRow>(page ?? tablePageSql(n, groups));
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
    ...(isTimeOnlyFilter(n.filters) ? ['Reading the rollups'] : []),
    `Grouping contracts by ${DIMENSION_SQL[n.dimension].singular}`,
  ];
  return runSteps(db, opts, steps, (run) => runTable(db, run, n));
}
