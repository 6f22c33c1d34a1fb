// SQL of an export: the rows of the search (or of the analytics table) for the same filter,
// every one of them, in API.md's stable order, with every value already formatted as its
// CSV cell needs it (dates YYYY-MM-DD, amounts with two decimals). The WHERE clause is the
// engine's own (filterSql), so an export holds exactly the rows a search or table counts.
import { Prisma } from '../generated/prisma/client.js';
import { DIMENSION_SQL } from '../contracts/dimensions.js';
import { avgSql, groupsFromContractsSql } from '../contracts/table-sql.js';
import { UNSPECIFIED_AREA, type Dimension } from '../contracts/types.js';
import type { ContractRow } from '../contracts/search.js';

/** Name of the cursor an export reads its rows through (one per transaction). */
export const CURSOR = Prisma.raw('export_rows');
/** Temporary table of the groups of a dimension export (dropped at commit). */
const GROUPS = Prisma.raw('export_groups');

/** One contract as the cursor returns it: the search's row without the id. */
export type ContractCsvRow = Omit<ContractRow, 'id'>;

/** One group as the cursor returns it. */
export type GroupCsvRow = { label: string; count: string; total_value: string; avg_value: string };

/** How many contracts match `where`. */
export function countContractsSql({ from, where }: { from: Prisma.Sql; where: Prisma.Sql }): Prisma.Sql {
  return Prisma.sql`SELECT count(*) AS n FROM ${from} WHERE ${where}`;
}

/**
 * Declares the cursor over the matching contracts: award date DESC then reference_id ASC
 * (the search's default order, served by the (award_date, reference_id) index). Amounts are
 * numeric(20,2), so their text always has two decimals.
 */
export function declareContractsSql(where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    DECLARE ${CURSOR} NO SCROLL CURSOR FOR
    SELECT c.reference_id, to_char(c.award_date, 'YYYY-MM-DD') AS award_date, c.award_title, c.notice_title,
           ct.name AS contractor, o.name AS organization, a.name AS area, bc.name AS business_category,
           c.procurement_mode, c.amount::text AS amount, c.approved_budget::text AS approved_budget
      FROM contracts c
      JOIN contractors ct ON ct.id = c.contractor_id
      JOIN organizations o ON o.id = c.organization_id
      LEFT JOIN areas a ON a.id = c.area_id
      JOIN business_categories bc ON bc.id = c.business_category_id
     WHERE ${where}
     ORDER BY c.award_date DESC, c.reference_id ASC`;
}

/** Materialises the groups (id, n, known, total) of the matching contracts, as the analytics table computes them. */
export function createGroupsSql(dimension: Dimension, source: { from: Prisma.Sql; where: Prisma.Sql }): Prisma.Sql {
  return Prisma.sql`CREATE TEMPORARY TABLE ${GROUPS} ON COMMIT DROP AS ${groupsFromContractsSql(dimension, source)}`;
}

/** How many groups there are. */
export const countGroupsSql = Prisma.sql`SELECT count(*) AS n FROM ${GROUPS}`;

/**
 * Declares the cursor over the groups: total value DESC then label ASC (the analytics
 * table's default order); '(unspecified)' for contracts without an area; the average is the
 * table's (known amounts only, 0 when none), rounded to two decimals.
 */
export function declareGroupsSql(dimension: Dimension): Prisma.Sql {
  const { table } = DIMENSION_SQL[dimension];
  return Prisma.sql`
    DECLARE ${CURSOR} NO SCROLL CURSOR FOR
    SELECT COALESCE(d.name, ${UNSPECIFIED_AREA}::text) AS label, g.n::text AS count,
           round(g.total, 2)::text AS total_value, round(${avgSql('g')}, 2)::text AS avg_value
      FROM ${GROUPS} g LEFT JOIN ${table} d ON d.id = g.id
     ORDER BY g.total DESC, label ASC`;
}

/** Fetches the next `size` rows of the cursor (a constant, not input). */
export function fetchSql(size: number): Prisma.Sql {
  return Prisma.sql`FETCH FORWARD ${Prisma.raw(String(Math.trunc(size)))} FROM ${CURSOR}`;
}
