// Every contract's award day, amount and four dimension ids, held in memory as typed arrays
// indexed by contract id, beside the month cells (loaded in the same snapshot, under the
// same rollup key: src/contracts/month-cells.ts), for dashboards and table pages whose
// filter the rollups cannot answer (chips, entities, keywords, amounts).
//
// Why: PostgreSQL groups matching contracts at ~0.2-0.3 µs per contract and grouping, and a
// dashboard needs five groupings. A keyword dashboard ("road": 611k of 5.5M contracts) spent
// ~0.55 s of its statement on that, after ~0.35 s finding the matches; an organization chip
// ("education", 149k contracts) copied its matches into a temporary table and grouped them
// five times (~0.3 s). Here PostgreSQL only finds the matches and sends their ids
// (keywords: the trigram index stays PostgreSQL's), or nothing at all (dimension ids, time
// ranges and amount bounds: a scan of the arrays), and the groups are added up in arrays
// indexed by id (~60 ms for 611k matches). What the charts show is then
// named, totalled and ordered in PostgreSQL as the month cells' pages are
// (pageOfCandidatesSql): the answers are exactly those of the SQL path (the differential
// test compares them with plain scans).
//
// Memory: 28 bytes per contract id (5.5M contracts: ~150 MB per process), read with one
// binary COPY on a connection of its own (loadContractColumns). Held only when ids are
// dense (from the smallest to the largest, at most twice the contracts plus a million: a
// sequence's ids are, also after re-seeds, whose contracts get ids past the last ones) and
// below 2^31,
// and when the grand total of cents is below 2^53 (so every sum of cents is an exact
// double); otherwise null, and the SQL paths answer.
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { connectClient } from '../db/pg.js';
import type { Prisma as PrismaNs } from '../generated/prisma/client.js';
import { Prisma } from '../generated/prisma/client.js';
import { matchSource, selectionOf, type MatchSource, type ResolvedIds } from './filter-sql.js';
import { DAY_MS, DIMENSION_CODE, toIso, toMs } from './rollups.js';
import type { StepRunner } from './run.js';
import type { Dimension, NormalizedFilter, NormalizedTimeRange } from './types.js';

/** The columns, indexed by contract id - `first` (an id without a contract has day NO_CONTRACT). */
export type ContractColumns = {
  /** The smallest id held (index 0): a re-seed's contracts get ids past the last seed's. */
  first: number;
  /** Largest id - first + 1. */
  size: number;
  /** Contracts held. */
  count: number;
  /** Award day as days since 2000-01-01, or NO_CONTRACT. */
  day: Int32Array;
  /** Amount in cents; NaN when the amount is unknown. */
  cents: Float64Array;
  /** Ids per dimension code (DIMENSION_CODE; area 0 = no area). */
  dims: Map<number, Int32Array>;
  /** Largest id per dimension code. */
  maxIds: Map<number, number>;
  /** Contracts per id, per dimension code. */
  counts: Map<number, Int32Array>;
  /** Contracts awarded before each day: before[d - minDay] (d from minDay to maxDay + 1). */
  before: Float64Array;
  minDay: number;
  maxDay: number;
};

/** The day of an id that has no contract. */
export const NO_CONTRACT = -0x80000000;
/** Days are counted from this date (UTC). */
export const DAY_ZERO = Date.UTC(2000, 0, 1);
/** Sums of cents stay exact in doubles below this. */
const EXACT_CENTS = 2 ** 53;
/** What the load sends as the cents of an unknown amount (copySql: -2^63). */
const UNKNOWN = -(2n ** 63n);
/** The dimension codes, in the order of a packed row. */
const CODES = [DIMENSION_CODE.CONTRACTOR, DIMENSION_CODE.ORGANIZATION, DIMENSION_CODE.AREA, DIMENSION_CODE.BUSINESS_CATEGORY];

/**
 * What the load copies per contract (binary COPY: every field fixed-width and never NULL):
 * id, day, the four dimension ids (int4) and the cents (int8, UNKNOWN when unknown). An
 * amount beyond ±10^15 pesos is sent as that bound (no int8 overflow): 10^17 cents, past
 * 2^53, so such data is not held. (Not COALESCE over LEAST/GREATEST: they skip NULLs,
 * and would turn an unknown amount into the bound.)
 */
const copySql = (source: string, id = 'id::int', where = 'TRUE') => `COPY (
  SELECT ${id}, award_date - DATE '2000-01-01', contractor_id, organization_id, COALESCE(area_id, 0), business_category_id,
         CASE WHEN amount IS NULL THEN -9223372036854775807::int8 - 1 ELSE (LEAST(GREATEST(amount, -1e15), 1e15) * 100)::int8 END
    FROM ${source} WHERE ${where}) TO STDOUT (FORMAT binary)`;
/** A copied row: field count (int2), then per field its length (int4) and value. */
const ROW_BYTES = 2 + 6 * (4 + 4) + (4 + 8);
/** The binary COPY header: signature, flags, header extension length (0). */
const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_BYTES = COPY_SIGNATURE.length + 8;

/**
 * Reads the columns of every contract on a connection of its own (a binary COPY, which
 * Prisma cannot run: ~5 s for 5.5M contracts, where one packed value per 500k contracts
 * through Prisma took ~3 s each), in a REPEATABLE READ snapshot that locked the contracts
 * as the engine's calls do. `keySql` reads the rollup key of that snapshot: the columns are
 * the contracts of that key (null when the rollups do not describe them). Columns are null
 * when not held (see the file's header). The connection carries application_name `tag`
 * (stopMonthCells cancels it by that).
 */
export async function loadContractColumns(databaseUrl: string, keySql: string, tag: string): Promise<{ key: string | null; columns: ContractColumns | null }> {
  const client = await connectClient(databaseUrl);
  try {
    await client.query('SELECT set_config($1, $2, false)', ['application_name', tag]);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query('LOCK TABLE contracts IN ACCESS SHARE MODE');
    const key = (await client.query<{ key: string | null }>(keySql)).rows[0]?.key ?? null;
    if (key === null) return { key, columns: null };
    const columns = await readContractColumns(client, 'contracts');
    await client.query('COMMIT');
    return { key, columns };
  } finally {
    await client.end();
  }
}

/**
 * The columns of the contracts-shaped table `source` (a plain identifier), read on `client`
 * (in its snapshot, one binary COPY), or null when not held (see the file's header).
 */
export async function readContractColumns(client: pg.Client | pg.PoolClient, source: string): Promise<ContractColumns | null> {
  const { rows } = await client.query<{ n: string; min: string | null; max: string | null }>(`SELECT count(*) AS n, min(id) AS min, max(id) AS max FROM ${source}`);
  const count = Number(rows[0]!.n);
  const minId = Number(rows[0]!.min ?? 0);
  const maxId = Number(rows[0]!.max ?? 0);
  if (minId < 0 || maxId >= 2 ** 31 - 1 || maxId - minId > 2 * count + 1_000_000) return null;
  const columns = emptyColumns(maxId - minId + 1, minId);
  const grand = await readCopy(client.query(copyTo(copySql(source))), columns);
  return grand < EXACT_CENTS ? finish(columns) : null;
}

/** Columns being filled as a table is loaded (loadingColumns). */
export type LoadingColumns = {
  /** The next contract: its award date ('YYYY-MM-DD'), amount (pesos with at most two decimals, as text; null: unknown) and dimension ids (area 0: none). */
  add(date: string, amount: string | null, contractor: number, organization: number, area: number, category: number): void;
  /** The columns once every contract was added; null when they cannot be held exactly (sums of cents past 2^53). */
  done(): ContractColumns | null;
};

/**
 * The columns of a table as it is loaded, at positions instead of ids (a seed: the `kept`
 * contracts of `source` that `where` admits, read from it, then the `added` contracts it
 * generates, given one by one as they are generated): what its rollups are counted from
 * (src/data/rollup-arrays.ts: positions serve as well as ids there) without reading the new
 * table back (at 5.5M: a binary COPY of ~7 s, more beside the index builds).
 */
export async function loadingColumns(client: pg.Client | pg.PoolClient, source: string, where: string, kept: number, added: number): Promise<LoadingColumns> {
  const columns = emptyColumns(kept + added);
  let grand = kept > 0 ? await readCopy(client.query(copyTo(copySql(source, '(row_number() OVER () - 1)::int', where))), columns) : 0;
  let next = kept;
  const [contractors, organizations, areas, categories] = CODES.map((code) => columns.dims.get(code)!) as [Int32Array, Int32Array, Int32Array, Int32Array];
  let lastDate = '';
  let lastDay = 0;
  return {
    add(date, amount, contractor, organization, area, category) {
      if (date !== lastDate) {
        lastDate = date;
        lastDay = dayNumber(date); // a seed's contracts come in award-date order: rarely
      }
      const p = next++;
      if (p >= columns.size) throw new RangeError(`more than ${added} contracts added`);
      const cents = centsOf(amount);
      columns.day[p] = lastDay;
      columns.cents[p] = cents;
      if (cents === cents) grand += Math.abs(cents);
      contractors[p] = contractor;
      organizations[p] = organization;
      areas[p] = area;
      categories[p] = category;
    },
    done() {
      if (next !== columns.size) throw new Error(`${next - kept} of ${added} contracts added`);
      return grand < EXACT_CENTS ? finish(columns) : null;
    },
  };
}

/**
 * The cents of an amount in pesos written with at most two decimals ('1234.5', '-7.25'),
 * exactly while they stay below 2^53 (the whole pesos and the decimals are read apart); NaN
 * for null.
 */
export function centsOf(amount: string | null): number {
  if (amount === null) return NaN;
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!m) throw new Error(`not an amount with at most two decimals: ${amount}`);
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -cents : cents;
}

/** Reads copySql's binary stream (chunks cut anywhere) into `columns`; returns the sum of every |cents|. */
export async function readCopy(stream: AsyncIterable<Buffer>, columns: ContractColumns): Promise<number> {
  const dims = CODES.map((code) => columns.dims.get(code)!);
  let grand = 0;
  let carry: Buffer = Buffer.alloc(0);
  let headerRead = false;
  let ended = false;
  for await (const chunk of stream) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let o = 0;
    if (!headerRead) {
      if (buf.length < HEADER_BYTES) {
        carry = buf;
        continue;
      }
      if (!buf.subarray(0, COPY_SIGNATURE.length).equals(COPY_SIGNATURE) || buf.readInt32BE(COPY_SIGNATURE.length + 4) !== 0) {
        throw new Error('unexpected binary COPY header');
      }
      headerRead = true;
      o = HEADER_BYTES;
    }
    for (; !ended && buf.length - o >= 2; ) {
      const fields = buf.readInt16BE(o);
      if (fields === -1) {
        ended = true;
        break;
      }
      if (buf.length - o < ROW_BYTES) break;
      if (fields !== 7 || buf.readInt32BE(o + 2) !== 4 || buf.readInt32BE(o + 50) !== 8) throw new Error('unexpected binary COPY row');
      const id = buf.readInt32BE(o + 6) - columns.first;
      columns.day[id] = buf.readInt32BE(o + 14);
      for (let d = 0; d < 4; d++) dims[d]![id] = buf.readInt32BE(o + 22 + 8 * d);
      const cents = buf.readBigInt64BE(o + 54);
      const value = cents === UNKNOWN ? NaN : Number(cents);
      columns.cents[id] = value;
      if (value === value) grand += Math.abs(value);
      o += ROW_BYTES;
    }
    carry = buf.subarray(o);
  }
  if (!ended) throw new Error('binary COPY ended early');
  return grand;
}

/** Columns for ids first ... first + size - 1, none of them a contract yet. */
export function emptyColumns(size: number, first = 0): ContractColumns {
  return {
    first,
    size,
    count: 0,
    day: new Int32Array(size).fill(NO_CONTRACT),
    cents: new Float64Array(size),
    dims: new Map(CODES.map((code) => [code, new Int32Array(size)])),
    maxIds: new Map(CODES.map((code) => [code, 0])),
    counts: new Map(),
    before: new Float64Array(0),
    minDay: 0,
    maxDay: -1,
  };
}

/** Counts, day bounds and largest ids, once every row is in. */
function finish(columns: ContractColumns): ContractColumns {
  let minDay = Infinity;
  let maxDay = -Infinity;
  let count = 0;
  for (let id = 0; id < columns.size; id++) {
    const d = columns.day[id]!;
    if (d === NO_CONTRACT) continue;
    count++;
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  for (const [code, ids] of columns.dims) {
    let max = 0;
    for (let id = 0; id < columns.size; id++) if (columns.day[id] !== NO_CONTRACT && ids[id]! > max) max = ids[id]!;
    columns.maxIds.set(code, max);
    const counts = new Int32Array(max + 1);
    for (let id = 0; id < columns.size; id++) if (columns.day[id] !== NO_CONTRACT) counts[ids[id]!]!++;
    columns.counts.set(code, counts);
  }
  const first = count ? minDay : 0;
  const last = count ? maxDay : -1;
  const before = new Float64Array(last - first + 2);
  for (let id = 0; id < columns.size; id++) if (columns.day[id] !== NO_CONTRACT) before[columns.day[id]! - first + 1]!++;
  for (let d = 1; d < before.length; d++) before[d]! += before[d - 1]!;
  return { ...columns, count, before, minDay: first, maxDay: last };
}

/** Builds columns from rows (tests): id, day ('YYYY-MM-DD'), the four ids (area null: none), cents (null: unknown). */
export function columnsOf(
  rows: { id: number; day: string; contractor: number; organization: number; area: number | null; category: number; cents: number | null }[],
): ContractColumns {
  const size = rows.reduce((max, r) => Math.max(max, r.id + 1), 0);
  const columns = emptyColumns(size);
  for (const r of rows) {
    columns.day[r.id] = dayNumber(r.day);
    columns.dims.get(DIMENSION_CODE.CONTRACTOR)![r.id] = r.contractor;
    columns.dims.get(DIMENSION_CODE.ORGANIZATION)![r.id] = r.organization;
    columns.dims.get(DIMENSION_CODE.AREA)![r.id] = r.area ?? 0;
    columns.dims.get(DIMENSION_CODE.BUSINESS_CATEGORY)![r.id] = r.category;
    columns.cents[r.id] = r.cents ?? NaN;
  }
  return finish(columns);
}

/** Days since 2000-01-01 of an ISO date. */
export function dayNumber(iso: string): number {
  return Math.round((toMs(iso) - DAY_ZERO) / DAY_MS);
}

/** The ISO date of a day number. */
export function isoDay(day: number): string {
  return toIso(DAY_ZERO + day * DAY_MS);
}

// ---- selecting and grouping -------------------------------------------------------------

/**
 * Which contracts a scan keeps: for each restricted dimension, the ids it admits (area 0:
 * contracts without an area), the award-date ranges (OR'ed; none: all dates), and the
 * amount bounds in cents (inclusive; null: none; a bound excludes unknown amounts).
 */
export type Selection = {
  dimensions: { code: number; ids: readonly number[] }[];
  ranges: NormalizedTimeRange[];
  minCents?: number | null;
  maxCents?: number | null;
};


/** Groups by id: arrays indexed by id (days: by day - minDay), and how many groups have contracts. */
export type DenseGroups = { n: Int32Array; known: Int32Array; cents: Float64Array; offset: number };

/** Per dimension code and for the days (key 0): the groups of the contracts kept. */
export type ColumnGroups = Map<number, DenseGroups>;

/** The contracts an id list or a scan selects, in chunks of this many ids between yields to the event loop. */
const YIELD_EVERY = 1_000_000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Groups being added up: add(id) adds a contract (checked to be one), result() gives them. */
function grouper(columns: ContractColumns, codes: readonly number[], days: boolean): { add(id: number): void; result(): ColumnGroups } {
  const dimKeys = codes.map((code) => columns.dims.get(code)!);
  const dimGroups = codes.map((code) => denseGroups(columns.maxIds.get(code)! + 1, 0));
  const dayGroups = denseGroups(days ? Math.max(0, columns.maxDay - columns.minDay + 1) : 0, columns.minDay);
  const { day, cents } = columns;
  const m = codes.length;
  return {
    add(id: number): void {
      if (day[id] === NO_CONTRACT) throw notHeld(id);
      const c = cents[id]!;
      const known = c === c ? 1 : 0;
      const value = known ? c : 0;
      for (let k = 0; k < m; k++) {
        const g = dimGroups[k]!;
        const at = dimKeys[k]![id]!;
        g.n[at]!++;
        g.known[at]! += known;
        g.cents[at]! += value;
      }
      if (days) {
        const at = day[id]! - dayGroups.offset;
        dayGroups.n[at]!++;
        dayGroups.known[at]! += known;
        dayGroups.cents[at]! += value;
      }
    },
    result(): ColumnGroups {
      const out: ColumnGroups = new Map(codes.map((code, k) => [code, dimGroups[k]!]));
      if (days) out.set(0, dayGroups);
      return out;
    },
  };
}

/**
 * The groups (of dimensions `codes`, and of days when `days`) of the contracts marked in
 * `marks` (1 per contract id), read front to back: the arrays are then read in order (six
 * arrays read at random cost ~6 cache misses a contract: "road", 611k ids, took ~280 ms in
 * PostgreSQL's order, the ids' award-date order; ~60 ms this way).
 */
async function groupMarked(columns: ContractColumns, marks: Uint8Array, codes: readonly number[], days: boolean): Promise<ColumnGroups> {
  const groups = grouper(columns, codes, days);
  await inChunks(columns.size, (start, end) => {
    for (let id = start; id < end; id++) if (marks[id] === 1) groups.add(id);
  });
  return groups.result();
}

function notHeld(id: number): Error {
  return new Error(`contract ${id} is not in the columns of this snapshot`);
}

function denseGroups(size: number, offset: number): DenseGroups {
  return { n: new Int32Array(size), known: new Int32Array(size), cents: new Float64Array(size), offset };
}

/** An id list shorter than this share of the ids (1 / LIST_SHARE) is read as it is (sorted), not through marks and a pass over every id. */
const LIST_SHARE = 32;

/**
 * The groups (of dimensions `codes`, and of days when `days`) of the contracts whose ids are
 * packed in `packed` (int4, big-endian: what matchingIdsSql sends); an id without a contract
 * here (none in the same snapshot) is an error.
 */
export async function groupIds(columns: ContractColumns, packed: Uint8Array | null, codes: readonly number[], days: boolean): Promise<ColumnGroups> {
  const count = (packed?.byteLength ?? 0) / 4;
  const view = packed ? new DataView(packed.buffer, packed.byteOffset, packed.byteLength) : null;
  const idAt = (i: number) => {
    const id = view!.getInt32(i * 4);
    const at = id - columns.first;
    if (at < 0 || at >= columns.size) throw notHeld(id);
    return at;
  };
  if (count < columns.size / LIST_SHARE) {
    const ids = new Int32Array(count);
    for (let i = 0; i < count; i++) ids[i] = idAt(i);
    ids.sort();
    const groups = grouper(columns, codes, days);
    for (let i = 0; i < count; i++) if (i === 0 || ids[i] !== ids[i - 1]) groups.add(ids[i]!);
    return groups.result();
  }
  const marks = new Uint8Array(columns.size);
  for (let i = 0; i < count; i++) marks[idAt(i)] = 1;
  return groupMarked(columns, marks, codes, days);
}

/** The groups (as groupIds) of the contracts `selection` keeps, by a scan of every id. */
export async function groupScan(columns: ContractColumns, selection: Selection, codes: readonly number[], days: boolean): Promise<ColumnGroups> {
  const tests = selection.dimensions.map(({ code, ids }) => {
    const admits = new Uint8Array(columns.maxIds.get(code)! + 1);
    for (const id of ids) if (id >= 0 && id < admits.length) admits[id] = 1;
    return { key: columns.dims.get(code)!, admits };
  });
  const from = Float64Array.from(selection.ranges, (r) => (r.from === null ? -Infinity : dayNumber(r.from)));
  const to = Float64Array.from(selection.ranges, (r) => (r.to === null ? Infinity : dayNumber(r.to)));
  const bounded = (selection.minCents ?? null) !== null || (selection.maxCents ?? null) !== null;
  const cents = bounded ? { min: selection.minCents ?? -Infinity, max: selection.maxCents ?? Infinity } : null;
  const marks = new Uint8Array(columns.size);
  await inChunks(columns.size, (start, end) => markKept(columns, from, to, cents, tests, marks, start, end));
  return groupMarked(columns, marks, codes, days);
}

/** Marks the contracts of ids start ... end - 1 within the ranges (none: any day) that every test admits. */
function markKept(
  columns: ContractColumns,
  from: Float64Array,
  to: Float64Array,
  cents: { min: number; max: number } | null,
  tests: { key: Int32Array; admits: Uint8Array }[],
  marks: Uint8Array,
  start: number,
  end: number,
): void {
  const { day } = columns;
  const amount = columns.cents;
  const r = from.length;
  const t = tests.length;
  next: for (let id = start; id < end; id++) {
    const d = day[id]!;
    if (d === NO_CONTRACT) continue;
    if (r > 0) {
      let k = 0;
      while (k < r && !(d >= from[k]! && d <= to[k]!)) k++;
      if (k === r) continue;
    }
    if (cents) {
      const c = amount[id]!; // NaN (unknown) fails both
      if (!(c >= cents.min && c <= cents.max)) continue;
    }
    for (let k = 0; k < t; k++) if (tests[k]!.admits[tests[k]!.key[id]!] !== 1) continue next;
    marks[id] = 1;
  }
}

/**
 * Runs `work` over ids 0 ... size - 1 in chunks of YIELD_EVERY, yielding to the event loop
 * between chunks (a scan of 5.5M ids holds the event loop ~10 ms at a time).
 */
async function inChunks(size: number, work: (start: number, end: number) => void): Promise<void> {
  for (let start = 0; start < size; start += YIELD_EVERY) {
    if (start > 0) await yieldToEventLoop();
    work(start, Math.min(start + YIELD_EVERY, size));
  }
}

/** A group list (ids with contracts, their counts, known amounts and cents), keys as ids (days: day numbers). */
export function groupList(g: DenseGroups): { ids: number[]; n: number[]; known: number[]; cents: number[] } {
  const out = { ids: [] as number[], n: [] as number[], known: [] as number[], cents: [] as number[] };
  for (let i = 0; i < g.n.length; i++) {
    if (g.n[i]! === 0) continue;
    out.ids.push(i + g.offset);
    out.n.push(g.n[i]!);
    out.known.push(g.known[i]!);
    out.cents.push(g.cents[i]!);
  }
  return out;
}

/** The dimension codes of `dimensions`. */
function codesOf(dimensions: readonly Dimension[]): number[] {
  return dimensions.map((d) => DIMENSION_CODE[d]);
}

/**
 * A selection of about this share of the contracts or more (1 / SCAN_SHARE, by
 * selectionEstimate) is a scan; a narrower one is left to the SQL paths, which read its
 * contracts from a covering dimension index: a scan of 5.5M contracts takes ~60-70 ms, the
 * SQL paths ~25-30 ms for an area chip's 25k contracts of a year, ~300 ms for the
 * "education" chip's 149k contracts (a dashboard: a temporary table and five groupings).
 */
const SCAN_SHARE = 200;

/**
 * About how many contracts `selection` keeps: the fewest contracts any of its dimensions
 * admits (all when none), times the share of all contracts within its ranges (as if the
 * two were independent: it only chooses a path, every path is exact).
 */
function selectionEstimate(columns: ContractColumns, selection: Selection): number {
  let bound = columns.count;
  for (const { code, ids } of selection.dimensions) {
    const counts = columns.counts.get(code)!;
    let n = 0;
    for (const id of new Set(ids)) if (id >= 0 && id < counts.length) n += counts[id]!;
    bound = Math.min(bound, n);
  }
  if (!selection.ranges.length || columns.count === 0) return bound;
  // Contracts from day a to day b (clamped to the data), summed over the ranges (an overlap counts twice: an estimate).
  const upTo = (d: number) => columns.before[Math.max(0, Math.min(d, columns.maxDay + 1) - columns.minDay)]!;
  let inRanges = 0;
  for (const r of selection.ranges) {
    const from = r.from === null ? columns.minDay : dayNumber(r.from);
    const to = r.to === null ? columns.maxDay : dayNumber(r.to);
    if (to >= from) inRanges += upTo(to + 1) - upTo(from);
  }
  return bound * Math.min(1, inRanges / columns.count);
}

/** The ids of the contracts matching `source`, packed int4 (each part aggregated on its own: PostgreSQL runs the parts in parallel). */
function matchingIdsSql({ parts, where }: MatchSource): PrismaNs.Sql {
  const perPart = parts.map((part) => Prisma.sql`SELECT string_agg(int4send(c.id::int), ''::bytea) AS ids FROM ${part} WHERE ${where}`);
  return Prisma.sql`SELECT string_agg(p.ids, ''::bytea) AS ids FROM (${Prisma.join(perPart, ' UNION ALL ')}) p`;
}

/**
 * The groups (of `dimensions`, and of days when `days`) of the contracts matching `filter`
 * (its chips and entities resolved to `ids`): by a scan of the columns when the filter is
 * dimension ids, time ranges and amount bounds (selectionOf) that keep about 1 / SCAN_SHARE
 * of the contracts or more, or null for a narrower one (the SQL paths then answer); with
 * keywords, from the ids of its matches, which PostgreSQL finds in the call's snapshot (the
 * columns' own: same rollup key).
 */
export async function groupsOfFilter(
  run: StepRunner,
  columns: ContractColumns,
  filter: NormalizedFilter,
  ids: ResolvedIds,
  dimensions: readonly Dimension[],
  days: boolean,
): Promise<ColumnGroups | null> {
  const codes = codesOf(dimensions);
  const selection = selectionOf(filter, ids);
  if (selection) return selectionEstimate(columns, selection) >= columns.count / SCAN_SHARE ? groupScan(columns, selection, codes, days) : null;
  const [row] = await run.query<{ ids: Uint8Array | null }>(matchingIdsSql(matchSource(filter, ids)));
  return groupIds(columns, row?.ids ?? null, codes, days);
}
