// The amount rollups (contract_amount_totals: contracts per name and amount bucket, over all
// time) held in memory beside the month cells (loaded in the same snapshot, under the same
// rollup key: src/contracts/month-cells.ts). A search's count with an amount range and chips
// of one dimension adds up a few rows per name here: at 5.5M contracts, "construction" matches
// ~8,000 contractors, whose rows PostgreSQL sums in ~30 ms (plus ~10 ms to plan a statement
// with 8,000 ids); here it takes well under a millisecond. ~600k rows at 5.5M: ~6 MB.
import { Prisma } from '../generated/prisma/client.js';

/** One dimension's rows (dimension 0: all contracts, as id 0), by id: rows start[id] ... start[id + 1] - 1, buckets ascending. */
export type AmountCells = { start: Int32Array; bucket: Int16Array; n: Float64Array };

/** Every row, packed per dimension in (id, bucket) order: id (int4), bucket (int2), n (int8), big-endian. */
export const AMOUNT_CELLS_SQL = Prisma.sql`
  SELECT dimension::int AS dimension, string_agg(int4send(id) || int2send(bucket) || int8send(n), ''::bytea ORDER BY id, bucket) AS cells
    FROM contract_amount_totals GROUP BY 1`;

const ROW_BYTES = 14;

/** Unpacks AMOUNT_CELLS_SQL's rows. */
export function unpackAmountCells(rows: { dimension: number; cells: Uint8Array | null }[]): Map<number, AmountCells> {
  const out = new Map<number, AmountCells>();
  for (const { dimension, cells } of rows) {
    if (!cells) continue;
    const view = new DataView(cells.buffer, cells.byteOffset, cells.byteLength);
    const count = cells.byteLength / ROW_BYTES;
    const maxId = count ? view.getInt32((count - 1) * ROW_BYTES) : 0;
    const start = new Int32Array(maxId + 2);
    const bucket = new Int16Array(count);
    const n = new Float64Array(count);
    for (let i = 0, o = 0; i < count; i++, o += ROW_BYTES) {
      const id = view.getInt32(o);
      start[id + 1] = start[id + 1]! + 1;
      bucket[i] = view.getInt16(o + 4);
      n[i] = Number(view.getBigInt64(o + 6));
    }
    for (let id = 1; id < start.length; id++) start[id] = start[id]! + start[id - 1]!;
    out.set(dimension, { start, bucket, n });
  }
  return out;
}

/** Contracts of ids `ids` (null: id 0, all contracts) in buckets first ... last (inclusive). */
export function amountCellsCount(cells: AmountCells | undefined, ids: readonly number[] | null, first: number, last: number): number {
  if (!cells) return 0;
  let total = 0;
  for (const id of ids ?? [0]) {
    if (id < 0 || id + 1 >= cells.start.length) continue;
    for (let i = cells.start[id]!, end = cells.start[id + 1]!; i < end; i++) {
      const b = cells.bucket[i]!;
      if (b > last) break;
      if (b >= first) total += cells.n[i]!;
    }
  }
  return total;
}
