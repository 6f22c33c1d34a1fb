// searchContracts: one page of matching contracts in a total, stable order, and how many
// match in all.
import { amountPlan } from '../data/amount-classes.js';
import type { Db } from '../db/prisma.js';
import { Prisma } from '../generated/prisma/client.js';
import { amountCellsCount } from './amount-cells.js';
import { chipResolutionSql, filterSql, matchSource, resolveChips, type ResolvedIds } from './filter-sql.js';
import { monthCellsOf } from './month-cells.js';
import { normalizeSearchInput } from './normalize.js';
import { offsetOf, paginate, toNumber } from './results.js';
import { amountCountDimension, countFromAmountRollupsSql, countFromRollupsSql, DATA_BOUNDS_SQL, DIMENSION_CODE, planRollups, singleChipDimension } from './rollups.js';
import { runSteps, type StepRunner } from './run.js';
import type { Contract, NormalizedSearchInput, RunOptions, SearchInput, SearchResult } from './types.js';

/** One contract row as the engine reads it: every column text, null when unknown (also the export's row, less the id). */
export type ContractRow = {
  id: string;
  reference_id: string;
  award_title: string;
  notice_title: string | null;
  contractor: string;
  organization: string;
  area: string | null;
  business_category: string;
  procurement_mode: string | null;
  amount: string | null;
  approved_budget: string | null;
  award_date: string;
};

/**
 * ORDER BY of a search. Every order ends with reference_id ASC (unique), so it is total
 * and page 2 never repeats a row of page 1. Amounts: contracts without one come last in
 * both directions. Indexes (prisma/schema.prisma): award date ascending reads
 * contracts_award_date_reference_id_idx (award_date, reference_id) forwards; descending,
 * the default, reads it backwards with an incremental sort on reference_id within each
 * day; amount ascending reads contracts_amount_reference_id_idx (amount, reference_id);
 * amount descending reads contracts_amount_desc_reference_id_idx (amount DESC NULLS LAST,
 * reference_id). Title and name orders have no index: they sort the matching rows.
 */
function orderBy(n: NormalizedSearchInput): Prisma.Sql {
  const dir = Prisma.raw(n.sortDirection === 'ASC' ? 'ASC' : 'DESC');
  switch (n.sortBy) {
    case 'AWARD_DATE':
      return Prisma.sql`c.award_date ${dir}, c.reference_id ASC`;
    case 'AMOUNT':
      return Prisma.sql`c.amount ${dir} NULLS LAST, c.reference_id ASC`;
    case 'AWARD_TITLE':
      return Prisma.sql`c.award_title ${dir}, c.reference_id ASC`;
    case 'CONTRACTOR':
      return Prisma.sql`ct.name ${dir}, c.reference_id ASC`;
    case 'ORGANIZATION':
      return Prisma.sql`o.name ${dir}, c.reference_id ASC`;
  }
}

/**
 * The requested page of contracts. The page is chosen by reference_id from `contracts`
 * alone (joined to the one name table a name sort needs), and only its rows are then read
 * in full and joined to their names. Choosing by reference_id lets the award-date and
 * amount indexes (which carry it; the award-date one also carries the amount and the
 * dimension ids the filters test) answer without visiting the table for every row skipped
 * or rejected on the way to the page.
 */
function pageSql(n: NormalizedSearchInput, where: Prisma.Sql): Prisma.Sql {
  const sortJoin =
    n.sortBy === 'CONTRACTOR'
      ? Prisma.sql`JOIN contractors ct ON ct.id = c.contractor_id`
      : n.sortBy === 'ORGANIZATION'
        ? Prisma.sql`JOIN organizations o ON o.id = c.organization_id`
        : Prisma.empty;
  return Prisma.sql`
    SELECT c.id::text AS id, c.reference_id, c.award_title, c.notice_title,
           ct.name AS contractor, o.name AS organization, a.name AS area, bc.name AS business_category,
           c.procurement_mode, c.amount::text AS amount, c.approved_budget::text AS approved_budget,
           to_char(c.award_date, 'YYYY-MM-DD') AS award_date
      FROM (
        SELECT c.reference_id FROM contracts c ${sortJoin}
         WHERE ${where}
         ORDER BY ${orderBy(n)}
         LIMIT ${n.pageSize}::int OFFSET ${offsetOf(n.page, n.pageSize)}::bigint
      ) page
      JOIN contracts c ON c.reference_id = page.reference_id
      JOIN contractors ct ON ct.id = c.contractor_id
      JOIN organizations o ON o.id = c.organization_id
      LEFT JOIN areas a ON a.id = c.area_id
      JOIN business_categories bc ON bc.id = c.business_category_id
     ORDER BY ${orderBy(n)}`;
}

/** Maps a row to the API's Contract. */
function toContract(r: ContractRow): Contract {
  return {
    id: r.id,
    referenceId: r.reference_id,
    awardTitle: r.award_title,
    noticeTitle: r.notice_title,
    contractor: r.contractor,
    organization: r.organization,
    area: r.area,
    businessCategory: r.business_category,
    procurementMode: r.procurement_mode,
    amount: r.amount === null ? null : toNumber(r.amount),
    approvedBudget: r.approved_budget === null ? null : toNumber(r.approved_budget),
    awardDate: r.award_date,
  };
}

/**
 * The count from the rollups when the filter is one chip dimension (plus time ranges): the
 * contracts of the resolved ids in whole years and months (all time: one row per id), and
 * those of the leftover days at the edges of the ranges; or, for an amount range with chips of
 * at most one dimension, the ids' amount buckets (from the cells in memory when this process
 * holds current ones) and the contracts of the buckets cut by the bounds. Null when the
 * rollups cannot count.
 */
async function rollupCount(db: Db, run: StepRunner, n: NormalizedSearchInput, ids: ResolvedIds): Promise<number | null> {
  const byAmount = amountCountDimension(n.filters);
  if (byAmount !== undefined) {
    const list = byAmount ? ids[byAmount] : [];
    if (!list) return null;
    const plan = amountPlan(n.filters.minAmount, n.filters.maxAmount);
    // The whole buckets from the amount cells in memory when this process holds current ones.
    const cells = await monthCellsOf(db, run);
    if (!cells && !(await run.rollupsValid())) return null;
    const code = byAmount ? DIMENSION_CODE[byAmount] : 0;
    const inMemory = cells && plan.buckets ? amountCellsCount(cells.amounts.get(code), byAmount ? list : null, ...plan.buckets) : 0;
    const sql = countFromAmountRollupsSql(byAmount, list, plan, !cells);
    const [count] = sql ? await run.query<{ n: bigint }>(sql) : [];
    return inMemory + toNumber(count?.n ?? 0);
  }
  const dimension = singleChipDimension(n.filters);
  const list = dimension ? ids[dimension] : undefined;
  if (!dimension || !list || !(await run.rollupsValid())) return null;
  const [bounds] = await run.query<{ first: string | null; last: string | null }>(DATA_BOUNDS_SQL);
  const plan = planRollups(n.filters, bounds);
  if ('empty' in plan) return 0;
  const [count] = await run.query<{ n: bigint }>(countFromRollupsSql(dimension, list, plan.pieces));
  return toNumber(count?.n);
}

/** Runs a validated search on the call's connection. */
async function runSearch(db: Db, run: StepRunner, n: NormalizedSearchInput): Promise<SearchResult> {
  const ids = await resolveChips(run, n.filters);
  if (!ids) return { contracts: [], pagination: paginate(n.page, n.pageSize, 0) };
  const where = filterSql(n.filters, ids);
  const rows = await run.query<ContractRow>(pageSql(n, where));
  run.step();
  const offset = (n.page - 1) * n.pageSize;
  // A short page that is not empty tells the total without counting: it is the last page.
  // (An empty page past the end does not: how far past is unknown.)
  let total: number;
  if (rows.length > 0 && rows.length < n.pageSize) {
    total = offset + rows.length;
  } else if (rows.length === 0 && n.page === 1) {
    total = 0;
  } else {
    const fromRollups = await rollupCount(db, run, n, ids);
    if (fromRollups !== null) total = fromRollups;
    else {
      const source = matchSource(n.filters, ids);
      // With keyword chips, contract_search's halves are counted at once, each by one
      // process from its own trigram bitmap (Parallel Append).
      const [count] = await run.query<{ n: bigint }>(Prisma.sql`SELECT count(*) AS n FROM ${source.from} WHERE ${source.where}`);
      total = toNumber(count?.n);
    }
  }
  return { contracts: rows.map(toContract), pagination: paginate(n.page, n.pageSize, total) };
}

/**
 * One page of the contracts matching `input.filters` (validated: throws ValidationError),
 * sorted by `sortBy` with referenceId ASC breaking ties, and the total count. Reports
 * progress per step and cancels its statement when `opts.signal` aborts (CancelledError).
 */
export async function searchContracts(db: Db, input: SearchInput, opts: RunOptions = {}): Promise<SearchResult> {
  const n = normalizeSearchInput(input);
  const steps = [
    ...(chipResolutionSql(n.filters) ? ['Matching filter chips to names'] : []),
    `Fetching page ${n.page}`,
    'Counting matching contracts',
  ];
  return runSteps(db, opts, steps, (run) => runSearch(db, run, n));
}
