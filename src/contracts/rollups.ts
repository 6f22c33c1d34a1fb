// Answers from the rollups (src/data/rollups.ts) for questions whose filter has at most time
// ranges: daily totals give the summary, years and months; per-dimension totals over all
// time give unfiltered rankings and tables, year, quarter and month rows whole years, quarters
// and months.
// The rest of a range (the days of partial months) comes from the contracts themselves
// (covering award-date index, index-only). Search counts with an amount range (and chips of at
// most one dimension) come from the amount rollups (src/data/amount-classes.ts).
// Used only while the rollups describe the current dataset version (StepRunner.rollups);
// the answers are exactly those of a scan of the contracts (test/contracts/differential.test.ts).
import type { AmountPlan, AmountSpan } from '../data/amount-classes.js';
import { Prisma } from '../generated/prisma/client.js';
import { DIMENSION_SQL } from './dimensions.js';
import { avgSql } from './table-sql.js';
import { UNSPECIFIED_AREA, type Dimension, type NormalizedFilter, type NormalizedTimeRange } from './types.js';

/** Dimension codes of contract_dimension_totals. */
export const DIMENSION_CODE: Record<Dimension, number> = { CONTRACTOR: 1, ORGANIZATION: 2, AREA: 3, BUSINESS_CATEGORY: 4 };
/** True when the filter restricts nothing but award dates (or nothing at all). */
export function isTimeOnlyFilter(f: NormalizedFilter): boolean {
  return (
    f.contractors.length === 0 && f.organizations.length === 0 && f.areas.length === 0 && f.businessCategories.length === 0 &&
    f.keywords.length === 0 && f.entities.length === 0 && f.minAmount === null && f.maxAmount === null
  );
}

/** An inclusive span of award dates, 'YYYY-MM-DD'. */
export type Span = { from: string; to: string };

export const DAY_MS = 86_400_000;
/** Milliseconds of a 'YYYY-MM-DD' date at UTC midnight. */
export const toMs = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
/** The 'YYYY-MM-DD' date of UTC milliseconds. */
export const toIso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** `d` moved by `n` days. */
export const addDays = (d: string, n: number) => toIso(toMs(d) + n * DAY_MS);
/** The last day of `d`'s month. */
export const monthEnd = (d: string) => toIso(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0));
const yearEnd = (d: string) => `${d.slice(0, 4)}-12-31`;
/** True on the first day of a quarter (Jan, Apr, Jul, Oct 1). */
const isQuarterStart = (d: string) => /-(01|04|07|10)-01$/.test(d);
/** The last day of the quarter that starts on `d`. */
const quarterEnd = (d: string) => toIso(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) + 2, 0));

/**
 * The time ranges (OR'ed; open ends allowed) as sorted disjoint spans within the data's
 * first and last award date; no ranges = everything. Overlapping or adjacent ranges merge,
 * so no contract is counted twice.
 */
export function spansOf(ranges: NormalizedTimeRange[], first: string, last: string): Span[] {
  const clamped = (ranges.length ? ranges : [{ from: null, to: null }])
    .map((r) => ({ from: r.from !== null && r.from > first ? r.from : first, to: r.to !== null && r.to < last ? r.to : last }))
    .filter((s) => s.from <= s.to)
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const spans: Span[] = [];
  for (const s of clamped) {
    const prev = spans[spans.length - 1];
    if (prev && s.from <= addDays(prev.to, 1)) {
      if (s.to > prev.to) prev.to = s.to;
    } else spans.push({ ...s });
  }
  return spans;
}

/** Spans cut into whole years, whole quarters, whole months (their first days) and the days left over. */
export type Pieces = { years: string[]; quarters: string[]; months: string[]; days: Span[] };

/** No period at all. */
export const NO_PIECES: Pieces = { years: [], quarters: [], months: [], days: [] };

export function piecesOf(spans: Span[]): Pieces {
  const pieces: Pieces = { years: [], quarters: [], months: [], days: [] };
  for (const { from, to } of spans) {
    let d = from;
    while (d <= to) {
      if (d.endsWith('-01-01') && yearEnd(d) <= to) {
        pieces.years.push(d);
        d = addDays(yearEnd(d), 1);
      } else if (isQuarterStart(d) && quarterEnd(d) <= to) {
        pieces.quarters.push(d);
        d = addDays(quarterEnd(d), 1);
      } else if (d.endsWith('-01') && monthEnd(d) <= to) {
        pieces.months.push(d);
        d = addDays(monthEnd(d), 1);
      } else {
        const end = monthEnd(d) < to ? monthEnd(d) : to;
        pieces.days.push({ from: d, to: end });
        d = addDays(end, 1);
      }
    }
  }
  return pieces;
}

/** award_date (or `column`) within one of the spans. */
function inSpans(column: Prisma.Sql, spans: Span[]): Prisma.Sql {
  if (!spans.length) return Prisma.sql`FALSE`;
  return Prisma.sql`(${Prisma.join(spans.map((s) => Prisma.sql`${column} BETWEEN ${s.from}::date AND ${s.to}::date`), ' OR ')})`;
}

/** The data's first and last award date (null when there are no contracts). */
export const DATA_BOUNDS_SQL = Prisma.sql`SELECT to_char(min(day), 'YYYY-MM-DD') AS first, to_char(max(day), 'YYYY-MM-DD') AS last FROM contract_daily_totals`;

/** Rows (day, n, known, total, first_date, last_date) of the daily totals within `spans` (null = every day). */
export function dailyFromRollupsSql(spans: Span[] | null): Prisma.Sql {
  return Prisma.sql`SELECT day, n, known, total, day AS first_date, day AS last_date FROM contract_daily_totals
    WHERE ${spans ? inSpans(Prisma.raw('day'), spans) : Prisma.sql`TRUE`}`;
}

/**
 * Groups (id, n, known, total) of one dimension over `pieces` (null = all time): rollup rows
 * of whole years, quarters and months, plus the contracts of the leftover days. id 0 = no area.
 */
export function groupsFromRollupsSql(dimension: Dimension, pieces: Pieces | null): Prisma.Sql {
  const code = DIMENSION_CODE[dimension];
  if (!pieces) return Prisma.sql`SELECT id, n, known, total FROM contract_dimension_totals WHERE dimension = ${code}::smallint AND grain = 0`;
  const parts: Prisma.Sql[] = [];
  if (pieces.years.length) {
    parts.push(Prisma.sql`SELECT id, n, known, total FROM contract_dimension_totals
      WHERE dimension = ${code}::smallint AND grain = 1 AND period = ANY(${pieces.years}::date[])`);
  }
  if (pieces.quarters.length) {
    parts.push(Prisma.sql`SELECT id, n, known, total FROM contract_dimension_totals
      WHERE dimension = ${code}::smallint AND grain = 3 AND period = ANY(${pieces.quarters}::date[])`);
  }
  if (pieces.months.length) {
    parts.push(Prisma.sql`SELECT id, n, known, total FROM contract_dimension_totals
      WHERE dimension = ${code}::smallint AND grain = 2 AND period = ANY(${pieces.months}::date[])`);
  }
  if (pieces.days.length) {
    const { column } = DIMENSION_SQL[dimension];
    // One range scan per span, UNION ALL (the spans are disjoint): each is an index-only
    // scan of the covering award-date index. An OR of the ranges would be a bitmap scan
    // that visits the table for every contract (1 s instead of 0.05 s for 43k contracts).
    const ofSpan = (s: Span) => Prisma.sql`SELECT ${column}, c.amount FROM contracts c WHERE c.award_date BETWEEN ${s.from}::date AND ${s.to}::date`;
    parts.push(Prisma.sql`SELECT COALESCE(${column}, 0), count(*), count(c.amount), COALESCE(sum(c.amount), 0)
      FROM (${Prisma.join(pieces.days.map(ofSpan), ' UNION ALL ')}) c GROUP BY 1`);
  }
  if (!parts.length) return Prisma.sql`SELECT NULL::int AS id, 0::bigint AS n, 0::bigint AS known, 0::numeric AS total WHERE FALSE`;
  if (pieces.years.length + pieces.quarters.length + pieces.months.length === 1 && !pieces.days.length) return parts[0]!; // one period: one row per id
  return Prisma.sql`SELECT id, sum(n) AS n, sum(known) AS known, sum(total) AS total
    FROM (${Prisma.join(parts, ' UNION ALL ')}) r (id, n, known, total) GROUP BY id`;
}

/** Where rollups answer a question: the spans (null = all time) and their pieces, or null when the data is empty. */
export type RollupPlan = { spans: Span[] | null; pieces: Pieces | null } | { empty: true };

/** Plans a time-only filter against the data bounds read with DATA_BOUNDS_SQL. */
export function planRollups(filter: NormalizedFilter, bounds: { first: string | null; last: string | null } | undefined): RollupPlan {
  if (!bounds?.first || !bounds.last) return { empty: true };
  const spans = spansOf(filter.timeRanges, bounds.first, bounds.last);
  if (!spans.length) return { empty: true };
  // One span over all the data: the all-time rows, no date predicate at all.
  if (spans.length === 1 && spans[0]!.from === bounds.first && spans[0]!.to === bounds.last) return { spans: null, pieces: null };
  return { spans, pieces: piecesOf(spans) };
}

/**
 * The dimension whose chips are the filter's only restriction besides time ranges (one chip
 * dimension, no keywords, no amounts), or null: then the matching contracts are exactly those
 * of the resolved ids, and the rollups can count them.
 */
export function singleChipDimension(f: NormalizedFilter): Dimension | null {
  if (f.keywords.length || f.entities.length || f.minAmount !== null || f.maxAmount !== null) return null;
  const chipped = chippedDimensions(f);
  return chipped.length === 1 ? chipped[0]! : null;
}

/** The dimensions the filter has chips on. */
function chippedDimensions(f: NormalizedFilter): Dimension[] {
  return (Object.keys(DIMENSION_SQL) as Dimension[]).filter((d) => f[DIMENSION_SQL[d].filterKey].length > 0);
}

/**
 * When the amount rollups count the filter's contracts: an amount range, chips of at most one
 * dimension, and nothing else (no time ranges, keywords or entities). The chipped dimension,
 * or null for none (all contracts); undefined when the rollups cannot count.
 */
export function amountCountDimension(f: NormalizedFilter): Dimension | null | undefined {
  if (f.minAmount === null && f.maxAmount === null) return undefined;
  if (f.keywords.length || f.entities.length || f.timeRanges.length) return undefined;
  const chipped = chippedDimensions(f);
  return chipped.length === 0 ? null : chipped.length === 1 ? chipped[0]! : undefined;
}

/** c.amount within `span`; bounds bound as text, cast to numeric (exact, and the amount index applies). */
function amountSpanSql(span: AmountSpan): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (span.from !== null) parts.push(Prisma.sql`c.amount ${Prisma.raw(span.fromInclusive ? '>=' : '>')} ${String(span.from)}::numeric`);
  if (span.to !== null) parts.push(Prisma.sql`c.amount ${Prisma.raw(span.toInclusive ? '<=' : '<')} ${String(span.to)}::numeric`);
  if (!parts.length) parts.push(Prisma.sql`c.amount IS NOT NULL`);
  return Prisma.join(parts, ' AND ');
}

/**
 * Number of contracts with an amount in [min, max] (either may be null) among those of
 * dimension rows `ids` (`dimension` null: all contracts), over all time, as planned by
 * amountPlan (src/data/amount-classes.ts): the amount rollup rows of the whole buckets in the
 * range (unless `buckets` is false: the caller adds them up itself), plus or minus the
 * contracts of the buckets cut by its bounds, read index-only from the amount index. Null
 * when there is nothing to read.
 */
export function countFromAmountRollupsSql(dimension: Dimension | null, ids: number[], plan: AmountPlan, buckets = true): Prisma.Sql | null {
  const code = dimension ? DIMENSION_CODE[dimension] : 0;
  const ofIds = dimension ? Prisma.sql`id = ANY(${ids}::int[])` : Prisma.sql`id = 0`;
  const matches = dimension ? Prisma.sql`${DIMENSION_SQL[dimension].column} = ANY(${ids}::int[])` : Prisma.sql`TRUE`;
  const terms: Prisma.Sql[] = [];
  if (buckets && plan.buckets) {
    terms.push(Prisma.sql`COALESCE((SELECT sum(n) FROM contract_amount_totals
      WHERE dimension = ${code}::smallint AND ${ofIds} AND bucket BETWEEN ${plan.buckets[0]}::smallint AND ${plan.buckets[1]}::smallint), 0)`);
  }
  const ofSpan = (span: AmountSpan) => Prisma.sql`(SELECT count(*) FROM contracts c WHERE ${matches} AND ${amountSpanSql(span)})`;
  for (const span of plan.plus) terms.push(ofSpan(span));
  for (const span of plan.minus) terms.push(Prisma.sql`-${ofSpan(span)}`);
  return terms.length ? Prisma.sql`SELECT (${Prisma.join(terms, ' + ')})::bigint AS n` : null;
}

/** Number of contracts of dimension rows `ids` over `pieces` (null = all time), from the rollups and the leftover days. */
export function countFromRollupsSql(dimension: Dimension, ids: number[], pieces: Pieces | null): Prisma.Sql {
  const code = DIMENSION_CODE[dimension];
  if (!pieces) {
    return Prisma.sql`SELECT COALESCE(sum(n), 0)::bigint AS n FROM contract_dimension_totals
      WHERE dimension = ${code}::smallint AND grain = 0 AND period = DATE '0001-01-01' AND id = ANY(${ids}::int[])`;
  }
  const { column } = DIMENSION_SQL[dimension];
  const days = pieces.days.length
    ? Prisma.sql`(SELECT count(*) FROM contracts c WHERE ${column} = ANY(${ids}::int[]) AND ${inSpans(Prisma.raw('c.award_date'), pieces.days)})`
    : Prisma.sql`0`;
  return Prisma.sql`SELECT (COALESCE((SELECT sum(n) FROM contract_dimension_totals
      WHERE dimension = ${code}::smallint AND ((grain = 1 AND period = ANY(${pieces.years}::date[]))
        OR (grain = 3 AND period = ANY(${pieces.quarters}::date[])) OR (grain = 2 AND period = ANY(${pieces.months}::date[])))
        AND id = ANY(${ids}::int[])), 0) + ${days})::bigint AS n`;
}

/**
 * Top `topN` of one dimension over all contracts from the all-time rows, through the
 * (dimension, grain, total DESC) index: the N-th largest total is an index offset, and only
 * rows at or above it (ties at the boundary included) get names. Same rows as rankingSql.
 */
export function allTimeRankingSql(dimension: Dimension, topN: number): Prisma.Sql {
  const code = DIMENSION_CODE[dimension];
  const { table } = DIMENSION_SQL[dimension];
  const rows = Prisma.sql`contract_dimension_totals g WHERE g.dimension = ${code}::smallint AND g.grain = 0`;
  return Prisma.sql`
    SELECT r.label, r.n AS count, r.total::text AS total, (${avgSql('r')})::text AS avg FROM (
      SELECT COALESCE((SELECT d.name FROM ${table} d WHERE d.id = g.id), ${UNSPECIFIED_AREA}::text) AS label, g.n, g.known, g.total
        FROM ${rows} AND g.total >= COALESCE((SELECT g.total FROM ${rows} ORDER BY g.total DESC OFFSET ${topN - 1}::int LIMIT 1), -1)
    ) r
     ORDER BY r.total DESC, r.label ASC LIMIT ${topN}::int`;
}

/**
 * True when the category pair rollups answer the filter: business-category chips and
 * nothing else, over all time (the rollups must also describe the data: StepRunner.rollupsValid).
 */
export function isCategoryChipFilter(f: NormalizedFilter): boolean {
  return singleChipDimension(f) === 'BUSINESS_CATEGORY' && f.timeRanges.length === 0;
}

/**
 * Groups (id, n, known, total) of one dimension among the contracts of business categories
 * `ids`, over all time: the category pair rows (contractors, organizations, areas; id 0 =
 * no area), or the categories' own all-time rows.
 */
export function categoryGroupsSql(dimension: Dimension, ids: number[]): Prisma.Sql {
  if (dimension === 'BUSINESS_CATEGORY') {
    return Prisma.sql`SELECT id, n, known, total FROM contract_dimension_totals
      WHERE dimension = ${DIMENSION_CODE.BUSINESS_CATEGORY}::smallint AND grain = 0 AND period = DATE '0001-01-01' AND id = ANY(${ids}::int[])`;
  }
  return Prisma.sql`SELECT id, sum(n) AS n, sum(known) AS known, sum(total) AS total FROM contract_category_pair_totals
    WHERE category_id = ANY(${ids}::int[]) AND dimension = ${DIMENSION_CODE[dimension]}::smallint GROUP BY id`;
}

/**
 * The month rollup rows (day = the month's first day, n, known, total, first_date,
 * last_date) of business categories `ids`: their summary, years and months.
 */
export function categoryMonthsSql(ids: number[]): Prisma.Sql {
  return Prisma.sql`SELECT period AS day, n, known, total, first_date, last_date FROM contract_dimension_totals
    WHERE dimension = ${DIMENSION_CODE.BUSINESS_CATEGORY}::smallint AND grain = 2 AND id = ANY(${ids}::int[])`;
}
