// Turning SQL rows into API results: exact numerics become JS numbers only here, at the
// very end, and pagination follows one rule everywhere.
import type { Pagination } from './types.js';

/**
 * A count or amount from SQL as a JS number. Sums are computed as numeric in PostgreSQL and
 * sent as text, so the only rounding is this final conversion to a double.
 */
export function toNumber(v: unknown): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === 'number' ? v : Number(typeof v === 'bigint' ? v : String(v));
  if (!Number.isFinite(n)) throw new Error(`Not a number from the database: ${String(v)}`);
  return n;
}

/** Pagination of `totalCount` items at `page` of `pageSize`; totalPages is 0 when there is nothing. */
export function paginate(page: number, pageSize: number, totalCount: number): Pagination {
  const totalPages = Math.ceil(totalCount / pageSize);
  return { page, pageSize, totalCount, totalPages, hasNext: page < totalPages, hasPrevious: page > 1 };
}

/** The OFFSET of `page` as exact decimal text (page * pageSize can exceed 2^53). */
export function offsetOf(page: number, pageSize: number): string {
  return ((BigInt(page) - 1n) * BigInt(pageSize)).toString();
}
