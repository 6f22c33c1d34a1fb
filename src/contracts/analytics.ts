// contractAnalytics: the dashboard of a filter — summary, contracts per year and month,
// and the top N contractors, organizations, areas and business categories by value.
// Each part is its own statement (a real progress step), except where noted below.
//
// Unfiltered or filtered by time ranges only, every chart comes from the rollups
// (rollups.ts) when they describe the data, and so does the dashboard of business-category
// chips alone over all time (the category pair rollups). Any other filter's groups come from
// the contract columns in memory (contract-columns.ts) when this process holds them for the
// call's snapshot (columnGroups: keywords always, other filters unless narrow); otherwise
// a keyword filter's from one grouping statement over its matches (onePassGroups). Both are
// drawn by dashboardOfGroups. Otherwise the matching contracts are first copied (six narrow
// columns) into a temporary table, and every chart is computed from it: a two-dimension
// filter is then evaluated once instead of once per chart.
import type { Db } from '../db/prisma.js';
import { Prisma } from '../generated/prisma/client.js';
import { DIMENSION_SQL } from './dimensions.js';
import { DAY_ZERO, groupList, groupsOfFilter, isoDay, type ContractColumns } from './contract-columns.js';
import { chipResolutionSql, isEmptyFilter, matchSource, resolveChips, type MatchSource, type ResolvedIds } from './filter-sql.js';
import { cellPlanOf, edgesOf, monthCellsOf, NO_EDGES, pageCandidates, pageOfCandidatesSql, pageOfGroupList, type MonthCells } from './month-cells.js';
import { normalizeAnalyticsInput } from './normalize.js';
import { toNumber } from './results.js';
import { runSteps, type StepRunner } from './run.js';
import {
  allTimeRankingSql,
  DAY_MS,
  categoryGroupsSql,
  categoryMonthsSql,
  DATA_BOUNDS_SQL,
  dailyFromRollupsSql,
  DIMENSION_CODE,
  groupsFromRollupsSql,
  isCategoryChipFilter,
  isTimeOnlyFilter,
  planRollups,
} from './rollups.js';
import { avgSql } from './table-sql.js';
import {
  UNSPECIFIED_AREA,
  type AnalyticsInput,
  type AnalyticsResult,
  type Bucket,
  type Dimension,
  type NormalizedAnalyticsInput,
  type NormalizedFilter,
  type PeriodBucket,
  type RunOptions,
  type Summary,
} from './types.js';

/** A bucket's average over a ranked row `r` (n, known, total): the AggregateRow rule, computed the same way. */
const BUCKET_AVG = avgSql('r');

/** Chart order of the dimension rankings, with their progress messages. */
const RANKINGS: { dimension: Dimension; key: 'byContractor' | 'byOrganization' | 'byArea' | 'byCategory'; message: string }[] = [
  { dimension: 'CONTRACTOR', key: 'byContractor', message: 'Ranking contractors' },
  { dimension: 'ORGANIZATION', key: 'byOrganization', message: 'Ranking organizations' },
  { dimension: 'AREA', key: 'byArea', message: 'Ranking areas' },
  { dimension: 'BUSINESS_CATEGORY', key: 'byCategory', message: 'Ranking business categories' },
];

type PeriodRow = {
  year: number | null;
  month: number | null;
  level: number;
  count: bigint;
  known: bigint;
  total: string;
  first: string | null;
  last: string | null;
};
type BucketRow = { label: string; count: bigint; total: string; avg: string };

/** Contracts of `source` per award date: rows (day, n, known, total, first_date, last_date). */
function dailyFromContractsSql(source: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT c.award_date AS day, count(*) AS n, count(c.amount) AS known, sum(c.amount) AS total,
    c.award_date AS first_date, c.award_date AS last_date FROM ${source} GROUP BY c.award_date`;
}

/**
 * Summary, years and months in one statement from rows (day, n, known, total, first_date,
 * last_date) of days or months: the contracts grouped by award date (one pass, a few
 * thousand groups), the daily rollup, or a dimension's month rollup rows, rolled up with
 * GROUPING SETS on that small set.
 * `level` is GROUPING(year, month): 3 = everything, 1 = a year, 0 = a month. `first` and
 * `last` are the earliest and latest award dates of each group.
 */
function periodsSql(rows: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    WITH d AS (${rows}), p AS (
      SELECT extract(year FROM day)::int AS year, extract(month FROM day)::int AS month, n, known, total, first_date, last_date FROM d
    )
    SELECT year, month, GROUPING(year, month) AS level,
           COALESCE(sum(n), 0)::bigint AS count, COALESCE(sum(known), 0)::bigint AS known,
           COALESCE(sum(total), 0)::text AS total,
           to_char(min(first_date), 'YYYY-MM-DD') AS first, to_char(max(last_date), 'YYYY-MM-DD') AS last
      FROM p GROUP BY GROUPING SETS ((), (year), (year, month))
     ORDER BY level DESC, year, month`;
}

/**
 * Top `topN` of one dimension by total value (ties: label ascending), over matching
 * contracts. Names are looked up only for groups that can make the cut (total at least the
 * N-th largest total, so ties at the boundary are all considered), not for every group:
 * an unfiltered contractor ranking has ~100k groups and needs 10 names.
 */
function rankingSql(dimension: Dimension, groups: Prisma.Sql, topN: number): Prisma.Sql {
  const { table } = DIMENSION_SQL[dimension];
  return Prisma.sql`
    WITH g AS MATERIALIZED (${groups}), cut AS (
      SELECT total FROM g ORDER BY total DESC OFFSET ${topN - 1}::int LIMIT 1
    )
    SELECT r.label, r.n AS count, r.total::text AS total, (${BUCKET_AVG})::text AS avg FROM (
      -- Contracts without an area (id NULL, or 0 in the rollups) form one group, labelled '(unspecified)'.
      SELECT COALESCE((SELECT d.name FROM ${table} d WHERE d.id = g.id), ${UNSPECIFIED_AREA}::text) AS label, g.n, g.known, g.total
        FROM g WHERE NOT EXISTS (SELECT 1 FROM cut) OR g.total >= (SELECT total FROM cut)
    ) r
     ORDER BY r.total DESC, r.label ASC -- the numeric total, not the text column of the same name
     LIMIT ${topN}::int`;
}

/** Pads a year to four digits and a month to two, as the API's period labels. */
function periodLabel(year: number, month?: number): string {
  const y = String(year).padStart(4, '0');
  return month === undefined ? y : `${y}-${String(month).padStart(2, '0')}`;
}

/** Groups (id, n, known, total) of one dimension over the contracts of `source`. */
function groupsFromSourceSql(dimension: Dimension, source: Prisma.Sql): Prisma.Sql {
  const { column } = DIMENSION_SQL[dimension];
  return Prisma.sql`SELECT ${column} AS id, count(*) AS n, count(c.amount) AS known, COALESCE(sum(c.amount), 0) AS total FROM ${source} GROUP BY ${column}`;
}

/** Splits the periods statement's rows into summary, years and months. */
function readPeriods(rows: PeriodRow[]): { summary: Summary; byYear: PeriodBucket[]; byMonth: PeriodBucket[] } {
  let summary: Summary = emptySummary();
  const byYear: PeriodBucket[] = [];
  const byMonth: PeriodBucket[] = [];
  for (const r of rows) {
    const count = toNumber(r.count);
    const totalValue = toNumber(r.total);
    if (r.level === 3) {
      const known = toNumber(r.known);
      summary = { count, totalValue, avgValue: known > 0 ? totalValue / known : 0, firstAwardDate: r.first, lastAwardDate: r.last };
    } else if (r.level === 1) {
      byYear.push({ period: periodLabel(r.year!), count, totalValue });
    } else {
      byMonth.push({ period: periodLabel(r.year!, r.month!), count, totalValue });
    }
  }
  return { summary, byYear, byMonth };
}

/** Maps ranking rows to buckets. */
function toBuckets(rows: BucketRow[]): Bucket[] {
  return rows.map((r) => ({ label: r.label, count: toNumber(r.count), totalValue: toNumber(r.total), avgValue: toNumber(r.avg) }));
}

/** The summary of no contracts: zeros, and no dates. */
function emptySummary(): Summary {
  return { count: 0, totalValue: 0, avgValue: 0, firstAwardDate: null, lastAwardDate: null };
}

/** An empty dashboard (a chip matched nothing, or nothing matched the filter). */
function emptyResult(): AnalyticsResult {
  return {
    summary: emptySummary(),
    byYear: [],
    byMonth: [],
    byContractor: [],
    byOrganization: [],
    byArea: [],
    byCategory: [],
  };
}

/**
 * Copies the columns the charts need of every contract matching `where` (in `from`, see
 * matchSource) into a temporary table `engine_matches` (dropped at commit).
 */
function materializeSql({ from, where }: { from: Prisma.Sql; where: Prisma.Sql }): Prisma.Sql {
  return Prisma.sql`
    CREATE TEMPORARY TABLE engine_matches ON COMMIT DROP AS
    SELECT c.award_date, c.amount, c.contractor_id, c.organization_id, c.area_id, c.business_category_id
      FROM ${from} WHERE ${where}`;
}

/** Runs validated analytics on the call's connection. */
async function runAnalytics(db: Db, run: StepRunner, n: NormalizedAnalyticsInput): Promise<AnalyticsResult> {
  const ids = await resolveChips(run, n.filters);
  if (!ids) return emptyResult();
  if (isTimeOnlyFilter(n.filters) && (await run.rollupsValid())) return analyticsFromRollups(db, run, n);
  if (isCategoryChipFilter(n.filters) && (await run.rollupsValid())) return analyticsOfCategories(run, n, ids.BUSINESS_CATEGORY!);
  if (!isEmptyFilter(n.filters)) {
    // The contract columns when this process holds them for this snapshot; for keywords
    // without them, one grouping statement; otherwise the temporary table below.
    const cells = await monthCellsOf(db, run);
    const fromColumns = cells?.columns ? await columnGroups(run, cells.columns, n.filters, ids) : null;
    const groups = fromColumns ?? (n.filters.keywords.length ? await onePassGroups(run, matchSource(n.filters, ids)) : null);
    if (groups) return dashboardOfGroups(run, n, groups, cells);
  }
  const unfiltered = isEmptyFilter(n.filters);
  let source = Prisma.sql`contracts c`;
  if (!unfiltered) {
    const matches = await run.execute(materializeSql(matchSource(n.filters, ids)));
    run.step();
    if (matches === 0) return emptyResult();
    source = Prisma.sql`engine_matches c`;
  }
  const periods = readPeriods(await run.query<PeriodRow>(periodsSql(dailyFromContractsSql(source))));
  run.step();
  const result: AnalyticsResult = { ...emptyResult(), ...periods };
  if (periods.summary.count === 0) return result;
  for (const { dimension, key } of RANKINGS) {
    result[key] = toBuckets(await run.query<BucketRow>(rankingSql(dimension, groupsFromSourceSql(dimension, source), n.topN)));
    run.step();
  }
  return result;
}

// ---- keyword dashboards in one pass ----------------------------------------------------

/** GROUPING(contractor_id, organization_id, area_id, business_category_id, award_date) of each set, and its dimension (null: the days). */
const ONE_PASS_SETS: { mask: number; dimension: Dimension | null }[] = [
  { mask: 0b01111, dimension: 'CONTRACTOR' },
  { mask: 0b10111, dimension: 'ORGANIZATION' },
  { mask: 0b11011, dimension: 'AREA' },
  { mask: 0b11101, dimension: 'BUSINESS_CATEGORY' },
  { mask: 0b11110, dimension: null },
];
/** Sums of cents stay exact in doubles below this. */
const EXACT_CENTS = 2 ** 53;
/** What onePassSql sends for a group's cents when their sum is not below EXACT_CENTS. */
const INEXACT_CENTS = -(2n ** 63n);
/** Amounts whose cents onePassSql converts per contract (exactly: below 2^53 cents). */
const ONE_PASS_AMOUNT_BOUND = '10000000000000'; // 1e13 pesos = 1e15 cents

/**
 * The matching contracts grouped by each dimension and by award date in ONE statement, the
 * groups packed into one value (per group: int2 set, int4 id (days since 2000-01-01 for a
 * day; 0 = no area), int4 n, int4 known, int8 cents, or INEXACT_CENTS), a group once per
 * part of the source it has matches in (the caller adds them up). Each part (contract_search's
 * halves) is scanned and grouped by one process (parallel costs zeroed for this statement:
 * PostgreSQL would otherwise not run grouping sets under a Gather): the trigram scan and the
 * hashing of every match into the five groupings, before one process's work, now run on both
 * cores (at 5.5M contracts, "road", psql, 8 alternating runs on a slow machine: median
 * 1465 -> 1229 ms; adding the parts' groups up in PostgreSQL cost ~250 ms of that back). Each
 * contract's amount is added as integer cents (the leader's numeric sums were most of a
 * ~1.0 -> ~0.8 s gain before the halves). Only for data whose amounts are all below
 * ONE_PASS_AMOUNT_BOUND (onePassGroups checks).
 */
function onePassSql({ parts, where }: MatchSource): Prisma.Sql {
  const grouped = parts.map(
    (part) => Prisma.sql`
      SELECT GROUPING(m.contractor_id, m.organization_id, m.area_id, m.business_category_id, m.award_date) AS s,
             COALESCE(m.contractor_id, m.organization_id, m.area_id, m.business_category_id, m.award_date - DATE '2000-01-01', 0) AS id,
             count(*) AS n, count(m.cents) AS known, COALESCE(sum(m.cents), 0) AS cents
        FROM (
          SELECT c.contractor_id, c.organization_id, c.area_id, c.business_category_id, c.award_date, (c.amount * 100)::int8 AS cents
            FROM ${part} WHERE ${where}
        ) m
       GROUP BY GROUPING SETS ((m.contractor_id), (m.organization_id), (m.area_id), (m.business_category_id), (m.award_date))`,
  );
  return Prisma.sql`
    SELECT string_agg(int2send(g.s::int2) || int4send(g.id) || int4send(g.n::int) || int4send(g.known::int)
             || int8send(CASE WHEN abs(g.cents) < ${EXACT_CENTS}::numeric THEN g.cents::int8 ELSE ${INEXACT_CENTS}::int8 END), ''::bytea) AS groups
      FROM (${Prisma.join(grouped, ' UNION ALL ')}) g`;
}

type GroupList = { ids: number[]; n: number[]; known: number[]; cents: number[] };
/** The groups of a dashboard: per dimension, and of the award days (ids: days since 2000-01-01). */
type DashboardGroups = { days: GroupList; byDimension: Map<Dimension, GroupList> };

/**
 * The groups of a keyword filter's matches from one grouping statement (onePassSql), each
 * part's groups added up here. Null when some amount of the data is not below
 * ONE_PASS_AMOUNT_BOUND, or sums could exceed what doubles hold exactly (then the
 * temporary-table path answers).
 */
async function onePassGroups(run: StepRunner, source: MatchSource): Promise<DashboardGroups | null> {
  // The amounts' bounds (two index probes) in the statement that zeroes the parallel costs.
  const [was] = await run.query<{ setup: string; tuple: string; bounded: boolean }>(Prisma.sql`
    SELECT current_setting('parallel_setup_cost') AS setup, current_setting('parallel_tuple_cost') AS tuple,
           COALESCE((SELECT max(amount) FROM contracts) < ${ONE_PASS_AMOUNT_BOUND}::numeric
                AND (SELECT min(amount) FROM contracts) > -${ONE_PASS_AMOUNT_BOUND}::numeric, TRUE) AS bounded,
           set_config('parallel_setup_cost', '0', true), set_config('parallel_tuple_cost', '0', true)`);
  const restoreParallelCosts = Prisma.sql`SELECT set_config('parallel_setup_cost', ${was!.setup}, true), set_config('parallel_tuple_cost', ${was!.tuple}, true)`;
  const [row] = was!.bounded ? await run.query<{ groups: Uint8Array | null }>(onePassSql(source)) : [];
  await run.query(restoreParallelCosts);
  if (!was!.bounded) return null;
  const lists = new Map<number, GroupList>(ONE_PASS_SETS.map((set) => [set.mask, { ids: [], n: [], known: [], cents: [] }]));
  // A group comes once per part of the source it has matches in: added up here.
  const positions = new Map<number, Map<number, number>>(ONE_PASS_SETS.map((set) => [set.mask, new Map()]));
  const packed = row?.groups;
  if (packed) {
    const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
    for (let o = 0; o < packed.byteLength; o += 22) {
      const set = view.getInt16(o);
      const list = lists.get(set);
      if (!list) throw new Error(`unexpected grouping set ${set}`);
      const id = view.getInt32(o + 2);
      const count = view.getInt32(o + 6);
      const known = view.getInt32(o + 10);
      const cents = view.getBigInt64(o + 14);
      if (cents === INEXACT_CENTS) return null;
      const at = positions.get(set)!;
      const i = at.get(id);
      if (i === undefined) {
        at.set(id, list.ids.length);
        list.ids.push(id);
        list.n.push(count);
        list.known.push(known);
        list.cents.push(Number(cents));
      } else {
        list.n[i]! += count;
        list.known[i]! += known;
        list.cents[i]! += Number(cents);
        if (Math.abs(list.cents[i]!) >= EXACT_CENTS) return null;
      }
    }
  }
  const days = lists.get(0b11110)!;
  if (days.cents.reduce((sum, c) => sum + Math.abs(c), 0) >= EXACT_CENTS) return null;
  const byDimension = new Map<Dimension, GroupList>();
  for (const set of ONE_PASS_SETS) if (set.dimension) byDimension.set(set.dimension, lists.get(set.mask)!);
  return { days, byDimension };
}

/**
 * The groups of a filter's matches from the contract columns in memory (contract-columns.ts):
 * a filter of dimension ids, time ranges and amount bounds by a scan of the columns (null
 * when it is narrow: the temporary table then answers); one with keywords from the ids of its
 * matches, which PostgreSQL finds (a keyword's halves each in its own process) and sends
 * packed. At 5.5M contracts, "road" (611k matches): the ids' statement takes about what a
 * count takes (~0.35 s on a fast machine), where onePassSql grouped them in ~0.55 s.
 */
async function columnGroups(run: StepRunner, columns: ContractColumns, filter: NormalizedFilter, ids: ResolvedIds): Promise<DashboardGroups | null> {
  const groups = await groupsOfFilter(run, columns, filter, ids, RANKINGS.map((r) => r.dimension), true);
  if (!groups) return null;
  const byDimension = new Map<Dimension, GroupList>(RANKINGS.map((r) => [r.dimension, groupList(groups.get(DIMENSION_CODE[r.dimension])!)]));
  return { days: groupList(groups.get(0)!), byDimension };
}

/**
 * The dashboard of a filter from its groups: periods summed in JavaScript (integers of
 * cents, exact), each ranking's candidates picked in JavaScript and named, totalled and
 * ordered in PostgreSQL (pageOfCandidatesSql, the month cells' path).
 */
async function dashboardOfGroups(run: StepRunner, n: NormalizedAnalyticsInput, groups: DashboardGroups, cells: MonthCells | null): Promise<AnalyticsResult> {
  run.step();
  // Periods: the days' groups summed per year and month, and in all.
  const days = groups.days;
  const result: AnalyticsResult = emptyResult();
  if (!days.ids.length) return result;
  const years = new Map<number, { count: number; cents: number }>();
  const months = new Map<string, { year: number; month: number; count: number; cents: number }>();
  let count = 0;
  let known = 0;
  let cents = 0;
  let first = Infinity;
  let last = -Infinity;
  days.ids.forEach((day, i) => {
    const date = new Date(DAY_ZERO + day * DAY_MS);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    count += days.n[i]!;
    known += days.known[i]!;
    cents += days.cents[i]!;
    first = Math.min(first, day);
    last = Math.max(last, day);
    const y = years.get(year) ?? { count: 0, cents: 0 };
    y.count += days.n[i]!;
    y.cents += days.cents[i]!;
    years.set(year, y);
    const key = `${year}-${month}`;
    const m = months.get(key) ?? { year, month, count: 0, cents: 0 };
    m.count += days.n[i]!;
    m.cents += days.cents[i]!;
    months.set(key, m);
  });
  const totalValue = cents / 100; // the double nearest the exact sum, as toNumber of PostgreSQL's text
  result.summary = { count, totalValue, avgValue: known > 0 ? totalValue / known : 0, firstAwardDate: isoDay(first), lastAwardDate: isoDay(last) };
  result.byYear = [...years].sort((a, b) => a[0] - b[0]).map(([year, y]) => ({ period: periodLabel(year), count: y.count, totalValue: y.cents / 100 }));
  result.byMonth = [...months.values()]
    .sort((a, b) => a.year - b.year || a.month - b.month)
    .map((m) => ({ period: periodLabel(m.year, m.month), count: m.count, totalValue: m.cents / 100 }));
  run.step();
  // Rankings: the top N of each dimension by total value (ties by name), as the SQL path,
  // with the names' order of the month cells when this process holds them.
  const order = { sortBy: 'TOTAL_VALUE', asc: false, offset: 0, size: n.topN } as const;
  for (const { dimension, key } of RANKINGS) {
    const candidates = pageOfGroupList(groups.byDimension.get(dimension)!, order, cells?.ranks.get(DIMENSION_CODE[dimension]));
    result[key] = toBuckets((await run.query<BucketRow>(pageOfCandidatesSql(dimension, candidates, order))).filter((r) => r.label !== null));
    run.step();
  }
  return result;
}

/** The same dashboard from the rollups, for a filter of time ranges only (or none). */
async function analyticsFromRollups(db: Db, run: StepRunner, n: NormalizedAnalyticsInput): Promise<AnalyticsResult> {
  const [bounds] = await run.query<{ first: string | null; last: string | null }>(DATA_BOUNDS_SQL);
  if (!isEmptyFilter(n.filters)) run.step();
  const plan = planRollups(n.filters, bounds);
  if ('empty' in plan) return emptyResult();
  const periods = readPeriods(await run.query<PeriodRow>(periodsSql(dailyFromRollupsSql(plan.spans))));
  run.step();
  const result: AnalyticsResult = { ...emptyResult(), ...periods };
  if (periods.summary.count === 0) return result;
  // A partial range: the in-memory month cells (month-cells.ts) when loaded for this
  // snapshot's rollups, with the edge days' contracts of every dimension read in one statement.
  const pieces = plan.pieces;
  const cells = pieces && (await monthCellsOf(db, run));
  const cellPlan = cells && cellPlanOf(pieces);
  const edges = cellPlan ? await edgesOf(run, RANKINGS.map((r) => r.dimension), cellPlan) : NO_EDGES;
  const order = { sortBy: 'TOTAL_VALUE', asc: false, offset: 0, size: n.topN } as const;
  for (const { dimension, key } of RANKINGS) {
    const candidates = cells && cellPlan && pageCandidates(cells, dimension, cellPlan.months, edges, order);
    const sql = candidates
      ? pageOfCandidatesSql(dimension, candidates, order)
      : pieces === null
        ? allTimeRankingSql(dimension, n.topN)
        : rankingSql(dimension, groupsFromRollupsSql(dimension, pieces), n.topN);
    result[key] = toBuckets((await run.query<BucketRow>(sql)).filter((r) => r.label !== null));
    run.step();
  }
  return result;
}

/**
 * The same dashboard for business-category chips alone, over all time, from the rollups:
 * the categories' month rows give the summary, years and months, the category pair rows the
 * other dimensions' rankings. A category can hold 15% of all contracts; this reads a few
 * thousand rollup rows instead.
 */
async function analyticsOfCategories(run: StepRunner, n: NormalizedAnalyticsInput, ids: number[]): Promise<AnalyticsResult> {
  run.step(); // the matching contracts are the categories' own: nothing to find
  const periods = readPeriods(await run.query<PeriodRow>(periodsSql(categoryMonthsSql(ids))));
  run.step();
  const result: AnalyticsResult = { ...emptyResult(), ...periods };
  if (periods.summary.count === 0) return result;
  for (const { dimension, key } of RANKINGS) {
    result[key] = toBuckets(await run.query<BucketRow>(rankingSql(dimension, categoryGroupsSql(dimension, ids), n.topN)));
    run.step();
  }
  return result;
}

/**
 * The analytics dashboard of the contracts matching `input.filters` (validated: throws
 * ValidationError): summary, byYear/byMonth ascending, and top N per dimension by total
 * value. Reports progress per statement; aborting `opts.signal` cancels it (CancelledError).
 */
export async function contractAnalytics(db: Db, input: AnalyticsInput, opts: RunOptions = {}): Promise<AnalyticsResult> {
  const n = normalizeAnalyticsInput(input);
  const steps = [
    ...(chipResolutionSql(n.filters) ? ['Matching filter chips to names'] : []),
    ...(isEmptyFilter(n.filters) ? [] : ['Finding matching contracts']),
    'Totalling contracts by year and month',
    ...RANKINGS.map((r) => r.message),
  ];
  return runSteps(db, opts, steps, (run) => runAnalytics(db, run, n));
}
