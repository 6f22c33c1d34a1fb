// Unfiltered rankings from the dimension tables' counters (contract_count, total_value),
// which every load refreshes (DATA's refreshDimensionStats). Ranking 74k contractors over
// millions of contracts is a full scan and hash of the contracts table (~0.5 s per
// dimension per million contracts on a small machine); the counters answer the same
// question from ~100k small rows.
//
// Counters are derived data, so they are checked before use: per dimension, they must add
// up exactly to the count and total value just computed from the contracts themselves
// (areas: plus the contracts without an area). If any does not (a load that did not refresh
// them, rows changed by hand), the caller falls back to scanning the contracts.
import { Prisma } from '../generated/prisma/client.js';
import { DIMENSION_SQL } from './dimensions.js';
import type { StepRunner } from './run.js';
import { avgSql } from './table-sql.js';
import { UNSPECIFIED_AREA, type Dimension } from './types.js';

/** The exact totals the counters must add up to: all contracts, unfiltered. */
export type ExactTotals = { count: bigint; total: string };

/**
 * True when every dimension table's counters add up exactly to `totals` (areas together
 * with the contracts that have no area): then they describe the contracts as they are.
 */
export async function countersAgree(run: StepRunner, totals: ExactTotals): Promise<boolean> {
  const n = Prisma.sql`${totals.count.toString()}::bigint`;
  const t = Prisma.sql`${totals.total}::numeric`;
  const tables = (['CONTRACTOR', 'ORGANIZATION', 'BUSINESS_CATEGORY'] as Dimension[]).map(
    (d) => Prisma.sql`(SELECT COALESCE(sum(contract_count), 0) = ${n} AND COALESCE(sum(total_value), 0) = ${t} FROM ${DIMENSION_SQL[d].table})`,
  );
  const [row] = await run.query<{ agree: boolean }>(Prisma.sql`
    WITH u AS (SELECT count(*) AS n, COALESCE(sum(amount), 0) AS total FROM contracts WHERE area_id IS NULL),
         a AS (SELECT COALESCE(sum(contract_count), 0) AS n, COALESCE(sum(total_value), 0) AS total FROM areas)
    SELECT ${Prisma.join(tables, ' AND ')}
       AND (SELECT a.n + u.n = ${n} AND a.total + u.total = ${t} FROM a, u) AS agree`);
  return row?.agree === true;
}

/**
 * Top `topN` of one dimension from its counters; the area ranking includes '(unspecified)'.
 * The average needs each row's count of known amounts: counted for the N rows kept only
 * (contract_count minus its contracts without an amount), not for every name.
 */
export function counterRankingSql(dimension: Dimension, topN: number): Prisma.Sql {
  const { table, column } = DIMENSION_SQL[dimension];
  const unspecified =
    dimension === 'AREA'
      ? Prisma.sql`UNION ALL SELECT NULL::int, ${UNSPECIFIED_AREA}::text, count(*), COALESCE(sum(amount), 0), count(amount)
                     FROM contracts WHERE area_id IS NULL HAVING count(*) > 0`
      : Prisma.empty;
  return Prisma.sql`
    SELECT label, count, total::text AS total, (${avgSql('top')})::text AS avg FROM (
      SELECT r.label, r.count, r.total,
             COALESCE(r.known, r.count - (SELECT count(*) FROM contracts c WHERE ${column} = r.id AND c.amount IS NULL)) AS known
        FROM (
          SELECT id, name AS label, contract_count::bigint AS count, total_value AS total, NULL::bigint AS known
            FROM ${table} WHERE contract_count > 0
          ${unspecified}
        ) r ORDER BY r.total DESC, r.label ASC LIMIT ${topN}::int
    ) top ORDER BY top.total DESC, top.label ASC`;
}
