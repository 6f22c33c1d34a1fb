// The month rollup cells (contract_dimension_totals, grain 2) of every dimension, and the
// order of every dimension's names, held in this process as typed arrays, for rankings and
// tables over an arbitrary time range.
//
// Why: a range such as 2023-03-15..2024-06-10 is whole quarters and months plus edge days.
// PostgreSQL adds up its ~150k contractor cells by hashing numerics: 60 ms to read and
// group them, ~240 ms for a table page in all, where DuckDB scans the range's 750k contracts
// in ~50-70 ms. Here the month cells are added into arrays indexed by id (a few ms); the
// edge days' contracts (at most half a month per edge: cellPlanOf) come from PostgreSQL as
// one packed value and are added or subtracted the same way; the page is picked in
// JavaScript (order by key, then by the names' order); and only the page's rows go back to
// PostgreSQL, which names them, computes their numeric totals and averages with the SQL
// path's own expressions and orders them (pageOfCandidatesSql). The answers are exactly
// those of the SQL path (test/contracts/month-cells.unit.test.ts against brute force, and
// the differential test against plain scans).
//
// Exactness: amounts are numeric(20,2), so a cell's total is an integer number of cents.
// Every sum of cents is at most the grand total, checked below 2^53, where doubles hold
// integers exactly; counts are integers. Averages are quotients: near a page boundary,
// keys closer than a relative 1e-9 (far above double rounding, far below any real gap) are
// ordered by name only when they are exactly equal (compared as integers), and are
// otherwise all sent to PostgreSQL, whose numeric order decides.
//
// Freshness: the cells are one snapshot of the rollups, keyed by rollup_state (version,
// row version, build time: every rebuild changes it). The engine uses them only when its
// own snapshot's key is the same and the rollups are current (StepRunner.rollupKey);
// otherwise it answers in SQL and, for a database registered with enableMonthCells (the API
// and the workers, MONTH_CELLS), loads the new cells in the background. At 5.5M contracts
// that is 2.9M cells (58 MB of arrays), loaded in ~3 s. The same snapshot also brings the
// amount rollups (src/contracts/amount-cells.ts: search counts with an amount range), and
// the same rollup key the contract columns (src/contracts/contract-columns.ts: dashboards
// and tables of chips, entities, keywords and amounts; read at the same time on a
// connection of their own, ~5 s and ~150 MB at 5.5M).
import { randomBytes } from 'node:crypto';
import { databaseUrlOf, type Db } from '../db/prisma.js';
import { Prisma } from '../generated/prisma/client.js';
import { AMOUNT_CELLS_SQL, unpackAmountCells, type AmountCells } from './amount-cells.js';
import { loadContractColumns, type ContractColumns } from './contract-columns.js';
import { DIMENSION_SQL } from './dimensions.js';
import type { StepRunner } from './run.js';
import { addDays, DAY_MS, DIMENSION_CODE, monthEnd, toMs, type Pieces, type Span } from './rollups.js';
import { avgSql } from './table-sql.js';
import { UNSPECIFIED_AREA, type Dimension, type AggregateSortField } from './types.js';

/** One month's cells of one dimension. */
type Slice = { id: Int32Array; n: Int32Array; known: Int32Array; cents: Float64Array };
/** One dimension's cells by month ('YYYY-MM-01'), and its largest id. */
type DimensionCells = { months: Map<string, Slice>; maxId: number };
/** A snapshot of the month cells, and the rollup key it belongs to. */
export type MonthCells = {
  key: string;
  dimensions: Map<number, DimensionCells>;
  /** Per dimension code: each id's position among the dimension's labels in PostgreSQL's order (-1: no name). */
  ranks: Map<number, Int32Array>;
  /** Per dimension code (0: all contracts): the amount rollups (src/contracts/amount-cells.ts). */
  amounts: Map<number, AmountCells>;
  /** Every contract's day, amount and dimension ids (src/contracts/contract-columns.ts), when held. */
  columns: ContractColumns | null;
};

/** The rollups' identity in a snapshot (key: null when they do not describe the data), and the dataset version. */
export const ROLLUP_KEY_SQL = Prisma.sql`
  SELECT CASE WHEN r.version = d.version THEN r.version::text || ':' || r.xmin::text || ':' || COALESCE(r.built_at::text, '') END AS key,
         d.version::text AS version
    FROM rollup_state r, dataset_state d WHERE r.id = 1 AND d.id = 1`;

/** Every month cell, packed per (dimension, month): id, n, known (int4) and cents (int8), big-endian. */
const LOAD_SQL = Prisma.sql`
  SELECT dimension::int AS dimension, to_char(period, 'YYYY-MM-DD') AS period,
         string_agg(int4send(id) || int4send(n::int) || int4send(known::int) || int8send((total * 100)::bigint), ''::bytea) AS cells
    FROM contract_dimension_totals WHERE grain = 2 GROUP BY 1, 2`;

/** Every dimension's ids in label order (COALESCE(name, '(unspecified)') as the SQL path sorts them; area 0 = no area), packed int4. */
const RANKS_SQL = Prisma.join(
  (Object.keys(DIMENSION_SQL) as Dimension[]).map((d) => {
    const labels = d === 'AREA'
      ? Prisma.sql`SELECT id, name AS label FROM ${DIMENSION_SQL[d].table} UNION ALL SELECT 0, ${UNSPECIFIED_AREA}::text`
      : Prisma.sql`SELECT id, name AS label FROM ${DIMENSION_SQL[d].table}`;
    return Prisma.sql`SELECT ${DIMENSION_CODE[d]}::int AS dimension, string_agg(int4send(l.id), ''::bytea ORDER BY l.label) AS ids FROM (${labels}) l`;
  }),
  ' UNION ALL ',
);

/** Doubles hold every integer up to here exactly: sums of cents stay below it. */
const EXACT_LIMIT = 2 ** 53;

/**
 * A database's cells, the load under way (and the application_name its connections carry,
 * for stopMonthCells to cancel them by), when a failed load may be tried again, how many
 * answers the cells gave, and whether loading has stopped for good.
 */
type State = { cells: MonthCells | null; loading: Promise<void> | null; tag: string; retryAt: number; answers: number; stopped: boolean };
/** After a failed background load, the SQL path answers for this long before the next try. */
const RETRY_MS = 60_000;
const states = new WeakMap<Db, State>();

/** Lets the engine keep `db`'s month cells in memory, loading them whenever the rollups change. */
export function enableMonthCells(db: Db): void {
  if (!states.has(db)) states.set(db, { cells: null, loading: null, tag: `kontrata-cells-${randomBytes(8).toString('hex')}`, retryAt: 0, answers: 0, stopped: false });
}

/** True when `db`'s month cells are enabled (enableMonthCells). */
function monthCellsEnabled(db: Db): boolean {
  return states.has(db);
}

/** Enables `db`'s month cells and starts loading them (in the background: failures are logged, and the SQL path answers meanwhile). */
export function startMonthCells(db: Db, logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void }): void {
  const started = Date.now();
  loadMonthCells(db).then(
    () => {
      const cells = states.get(db)?.cells ?? null;
      logger.info({ ms: Date.now() - started, cells: cellCount(cells), contracts: cells?.columns?.count ?? 0 }, 'month rollup cells and contract columns loaded');
    },
    (err: unknown) => logger.warn({ err }, 'month rollup cells and contract columns not loaded; the questions they answer go to SQL until the next try'),
  );
}

/** Number of cells held (0 when none). */
function cellCount(cells: MonthCells | null): number {
  let count = 0;
  for (const dim of cells?.dimensions.values() ?? []) for (const s of dim.months.values()) count += s.id.length;
  return count;
}

/** What `db`'s month cells are: their rollup key (null when none are held), how many, the contracts of their columns, and how many answers they gave. */
export function monthCellsState(db: Db): { key: string | null; cells: number; columns: number; answers: number } {
  const state = states.get(db);
  return { key: state?.cells?.key ?? null, cells: cellCount(state?.cells ?? null), columns: state?.cells?.columns?.count ?? 0, answers: state?.answers ?? 0 };
}

/** Loads `db`'s month cells now (enabling them), resolving once they match the current rollups (or there are none). */
export async function loadMonthCells(db: Db): Promise<void> {
  enableMonthCells(db);
  const state = states.get(db)!;
  if (state.loading) await state.loading;
  if (state.stopped) return;
  state.loading = load(db, state).finally(() => {
    state.loading = null;
  });
  await state.loading;
}

/** The cells of `db` for the snapshot of `run`, or null (also when `db`'s cells are not enabled: then no key is read). */
export async function monthCellsOf(db: Db, run: StepRunner): Promise<MonthCells | null> {
  return monthCellsEnabled(db) ? monthCellsFor(db, await run.rollupKey()) : null;
}

/**
 * The cells of `db` for rollup key `key` (read in the caller's snapshot), or null; on a
 * mismatch, starts loading the current ones in the background (enabled databases only).
 */
function monthCellsFor(db: Db, key: string | null): MonthCells | null {
  const state = states.get(db);
  if (!state || key === null) return null;
  if (state.cells?.key === key) {
    state.answers += 1;
    return state.cells;
  }
  if (!state.loading && !state.stopped && Date.now() >= state.retryAt) {
    state.loading = load(db, state)
      .catch(() => {
        state.retryAt = Date.now() + RETRY_MS; // the SQL path answers meanwhile
      })
      .finally(() => {
        state.loading = null;
      });
  }
  return null;
}

/**
 * Stops loading `db`'s cells for good (a process shutting down): no load starts any more,
 * and the one under way is cancelled (its statements may be waiting for a load's locks,
 * which would keep them in PostgreSQL after this process is gone). Resolves once it ended.
 */
export async function stopMonthCells(db: Db): Promise<void> {
  const state = states.get(db);
  if (!state) return;
  state.stopped = true;
  // A cancel reaching a connection between two statements is a no-op: repeated until the load ends.
  while (state.loading) {
    await db.$queryRaw`SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = ${state.tag}`.catch(() => undefined);
    await Promise.race([state.loading.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 100))]);
  }
}

async function load(db: Db, state: State): Promise<void> {
  // The contract columns on a connection of their own, at the same time; kept only when
  // their snapshot had the same rollup key as the cells' (a load in between: the next
  // question's key differs from both, and starts another load).
  const url = databaseUrlOf(db);
  const columns = url ? loadContractColumns(url, ROLLUP_KEY_SQL.text, state.tag) : Promise.resolve(null);
  columns.catch(() => undefined); // handled: awaited below
  let loaded: { cells: MonthCells | null; tooLarge?: boolean };
  try {
    loaded = await db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL application_name = '${state.tag}'`); // tag: hex only
        await tx.$executeRaw`LOCK TABLE contract_dimension_totals, contract_amount_totals IN ACCESS SHARE MODE`;
        const [row] = await tx.$queryRaw<{ key: string | null }[]>(ROLLUP_KEY_SQL);
        if (!row?.key) return { cells: null }; // being rebuilt: questions then carry no key either
        const rows = await tx.$queryRaw<{ dimension: number; period: string; cells: Uint8Array }[]>(LOAD_SQL);
        const ranks = await tx.$queryRaw<{ dimension: number; ids: Uint8Array | null }[]>(RANKS_SQL);
        const amounts = await tx.$queryRaw<{ dimension: number; cells: Uint8Array | null }[]>(AMOUNT_CELLS_SQL);
        return { cells: unpackMonthCells(row.key, rows, ranks, amounts), tooLarge: true };
      },
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: 10 * 60 * 1000, maxWait: 60 * 1000 },
    );
  } catch (err) {
    // The columns' connection ends with this load, whatever happened here (stopMonthCells
    // cancels both until the load has ended).
    await columns.catch(() => undefined);
    throw err;
  }
  const held = await columns; // a failure there fails this load
  state.cells = loaded.cells && { ...loaded.cells, columns: held?.key === loaded.cells.key ? held.columns : null };
  // Sums that could exceed what doubles hold exactly: the SQL path answers, and the next try waits.
  if (!loaded.cells && loaded.tooLarge) state.retryAt = Date.now() + RETRY_MS;
}

export function unpackMonthCells(
  key: string,
  rows: { dimension: number; period: string; cells: Uint8Array }[],
  rankRows: { dimension: number; ids: Uint8Array | null }[] = [],
  amountRows: { dimension: number; cells: Uint8Array | null }[] = [],
): MonthCells | null {
  const dimensions = new Map<number, DimensionCells>();
  let grand = 0;
  for (const row of rows) {
    const bytes = row.cells;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const count = bytes.byteLength / 20;
    const slice: Slice = { id: new Int32Array(count), n: new Int32Array(count), known: new Int32Array(count), cents: new Float64Array(count) };
    let dim = dimensions.get(row.dimension);
    if (!dim) dimensions.set(row.dimension, (dim = { months: new Map(), maxId: 0 }));
    for (let i = 0, o = 0; i < count; i++, o += 20) {
      const id = view.getInt32(o);
      slice.id[i] = id;
      slice.n[i] = view.getInt32(o + 4);
      slice.known[i] = view.getInt32(o + 8);
      const cents = Number(view.getBigInt64(o + 12));
      slice.cents[i] = cents;
      if (id > dim.maxId) dim.maxId = id;
      if (row.dimension === 1) grand += Math.abs(cents);
    }
    dim.months.set(row.period, slice);
  }
  // Every contract is in exactly one contractor cell: the largest possible sum of cents.
  if (grand >= EXACT_LIMIT) return null;
  const ranks = new Map<number, Int32Array>();
  for (const { dimension, ids } of rankRows) {
    if (!ids) continue;
    const view = new DataView(ids.buffer, ids.byteOffset, ids.byteLength);
    const list = Array.from({ length: ids.byteLength / 4 }, (_, i) => view.getInt32(i * 4));
    const rank = new Int32Array(Math.max(0, ...list) + 1).fill(-1);
    list.forEach((id, position) => (rank[id] = position));
    ranks.set(dimension, rank);
  }
  return { key, dimensions, ranks, amounts: unpackAmountCells(amountRows), columns: null };
}

// ---- answering from the cells -------------------------------------------------------

/**
 * The contracts of a plan's plus and minus days, one entry each: its id in each of
 * `dimensions` (0 = no area), its flags (1: amount known, 2: to subtract), its amount in cents.
 */
export type EdgeRows = { dimensions: Dimension[]; count: number; ids: Int32Array; flags: Uint8Array; cents: Float64Array };

/** No edge days. */
export const NO_EDGES: EdgeRows = { dimensions: [], count: 0, ids: new Int32Array(0), flags: new Uint8Array(0), cents: new Float64Array(0) };

/**
 * The contracts of a plan's plus and minus days, packed (per contract: an int4 id per
 * dimension, an int2 of flags (1: amount known, 2: to subtract), the int8 cents; big-endian), read with one index-only range scan of the
 * covering award-date index per span. Sending them costs less than grouping them in
 * PostgreSQL, whose numeric sums run at ~0.3 µs a contract.
 */
export function edgeRowsSql(dimensions: Dimension[], plan: CellPlan): Prisma.Sql | null {
  const ofSpan = (s: Span, minus: boolean) =>
    Prisma.sql`SELECT c.contractor_id, c.organization_id, c.area_id, c.business_category_id, c.amount, ${Prisma.raw(minus ? '2' : '0')} AS sign FROM contracts c
      WHERE c.award_date BETWEEN ${s.from}::date AND ${s.to}::date`;
  const spans = [...plan.plus.map((s) => ofSpan(s, false)), ...plan.minus.map((s) => ofSpan(s, true))];
  if (!spans.length) return null;
  const ids = dimensions.map((d) => Prisma.sql`int4send(COALESCE(${DIMENSION_SQL[d].column}, 0))`);
  return Prisma.sql`
    SELECT string_agg(${Prisma.join(ids, ' || ')} || int2send(((c.amount IS NOT NULL)::int + c.sign)::int2) || int8send(COALESCE((c.amount * 100)::bigint, 0)), ''::bytea) AS cells
      FROM (${Prisma.join(spans, ' UNION ALL ')}) c`;
}

/** Reads the contracts of `plan`'s plus and minus days on the call's connection. */
export async function edgesOf(run: StepRunner, dimensions: Dimension[], plan: CellPlan): Promise<EdgeRows> {
  const sql = edgeRowsSql(dimensions, plan);
  if (!sql) return NO_EDGES;
  const [row] = await run.query<{ cells: Uint8Array | null }>(sql);
  return readEdgeRows(dimensions, row?.cells);
}

/** Unpacks edgeRowsSql's answer. */
export function readEdgeRows(dimensions: Dimension[], packed: Uint8Array | null | undefined): EdgeRows {
  if (!packed) return NO_EDGES;
  const k = dimensions.length;
  const width = 4 * k + 10;
  const count = packed.byteLength / width;
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const rows: EdgeRows = { dimensions, count, ids: new Int32Array(count * k), flags: new Uint8Array(count), cents: new Float64Array(count) };
  for (let r = 0, o = 0; r < count; r++, o += width) {
    for (let i = 0; i < k; i++) rows.ids[r * k + i] = view.getInt32(o + 4 * i);
    rows.flags[r] = view.getInt16(o + 4 * k);
    rows.cents[r] = Number(view.getBigInt64(o + 4 * k + 2));
  }
  return rows;
}

const days = (s: Span) => (toMs(s.to) - toMs(s.from)) / DAY_MS + 1;
const monthOf = (d: string): Span => ({ from: `${d.slice(0, 7)}-01`, to: monthEnd(d) });

/**
 * What to add up for `pieces`: whole months, plus the contracts of `plus` days, minus those
 * of `minus` days. A leftover span covering most of its month is read as the month less the
 * rest of it (2023-03-05..31 = March − 1..4): at most half a month of contracts per span.
 */
export type CellPlan = { months: string[]; plus: Span[]; minus: Span[] };

export function cellPlanOf(pieces: Pieces): CellPlan {
  const plan: CellPlan = { months: [...pieces.months], plus: [], minus: [] };
  const add = (first: string, count: number) => {
    const y = Number(first.slice(0, 4));
    const m = Number(first.slice(5, 7));
    for (let i = 0; i < count; i++) plan.months.push(`${String(y).padStart(4, '0')}-${String(m + i).padStart(2, '0')}-01`);
  };
  for (const y of pieces.years) add(y, 12);
  for (const q of pieces.quarters) add(q, 3);
  for (const span of pieces.days) {
    const month = monthOf(span.from);
    const rest: Span[] = [];
    if (span.from > month.from) rest.push({ from: month.from, to: addDays(span.from, -1) });
    if (span.to < month.to) rest.push({ from: addDays(span.to, 1), to: month.to });
    if (rest.reduce((sum, r) => sum + days(r), 0) < days(span)) {
      plan.months.push(month.from);
      plan.minus.push(...rest);
    } else plan.plus.push(span);
  }
  return plan;
}

/** Groups of one dimension over `months` plus the edge cells: arrays indexed by id, and the ids with contracts. */
type Groups = { ids: Int32Array; n: Int32Array; known: Int32Array; cents: Float64Array };

function addUp(cells: DimensionCells, months: string[], edges: EdgeRows, dimension: Dimension): Groups {
  const k = edges.dimensions.length;
  const at = edges.dimensions.indexOf(dimension);
  let size = cells.maxId + 1;
  if (at >= 0) for (let r = 0; r < edges.count; r++) size = Math.max(size, edges.ids[r * k + at]! + 1);
  const n = new Int32Array(size);
  const known = new Int32Array(size);
  const cents = new Float64Array(size);
  for (const m of months) {
    const s = cells.months.get(m);
    if (!s) continue;
    for (let i = 0; i < s.id.length; i++) {
      const id = s.id[i]!;
      n[id]! += s.n[i]!;
      known[id]! += s.known[i]!;
      cents[id]! += s.cents[i]!;
    }
  }
  if (at >= 0) {
    for (let r = 0; r < edges.count; r++) {
      const id = edges.ids[r * k + at]!;
      const flags = edges.flags[r]!;
      const sign = flags & 2 ? -1 : 1;
      n[id]! += sign;
      known[id]! += sign * (flags & 1);
      cents[id]! += sign * edges.cents[r]!;
    }
  }
  let count = 0;
  for (let id = 0; id < size; id++) if (n[id]! > 0) count++;
  const ids = new Int32Array(count);
  for (let id = 0, j = 0; id < size; id++) if (n[id]! > 0) ids[j++] = id;
  return { ids, n, known, cents };
}

/** The k-th smallest value of `a` (0-based), partially reordering `a` (Hoare's selection, O(n) expected). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** Relative width of the band around an average's page boundary (see the file's header). */
const AVG_BAND = 1e-9;

/** The rows that can be on a page (offset, size) in `sortBy` order, and how many rows rank before all of them. */
export type Candidates = { ids: number[]; n: number[]; known: number[]; cents: number[]; before: number; groups: number };

/** Picks the candidates of a page like tablePageSql: keys between the page's first and last, ties included; LABEL sorts are not served here. */
function candidatesOf(g: Groups, sortBy: Exclude<AggregateSortField, 'LABEL'>, asc: boolean, offset: number, size: number): Candidates {
  const m = g.ids.length;
  const keys = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const id = g.ids[j]!;
    keys[j] = sortBy === 'COUNT' ? g.n[id]! : sortBy === 'TOTAL_VALUE' ? g.cents[id]! : g.known[id]! > 0 ? g.cents[id]! / g.known[id]! : 0;
  }
  const out: Candidates = { ids: [], n: [], known: [], cents: [], before: 0, groups: m };
  if (offset >= m) return out;
  // The keys at the page's first and last rank (ascending ranks for ASC, descending for DESC).
  const work = Float64Array.from(keys);
  const at = (rank: number) => select(work, asc ? rank : m - 1 - rank);
  let first = at(offset);
  let last = at(Math.min(offset + size, m) - 1);
  if (sortBy === 'AVG_VALUE') {
    const widen = (x: number, up: boolean) => x + (up ? 1 : -1) * AVG_BAND * Math.max(Math.abs(x), 1);
    first = widen(first, !asc);
    last = widen(last, asc);
  }
  const lo = asc ? first : last;
  const hi = asc ? last : first;
  for (let j = 0; j < m; j++) {
    const k = keys[j]!;
    if (asc ? k < lo : k > hi) out.before++;
    else if (k >= lo && k <= hi) {
      const id = g.ids[j]!;
      out.ids.push(id);
      out.n.push(g.n[id]!);
      out.known.push(g.known[id]!);
      out.cents.push(g.cents[id]!);
    }
  }
  return out;
}

/**
 * With the names' order known (`rank`: each id's position by label), orders the candidates
 * as PostgreSQL would (key, then label) and keeps only the page's rows; a tie at a page
 * boundary (15,000 contractors with one contract in the range) then costs nothing in
 * PostgreSQL. Counts and totals compare exactly as doubles. Averages are quotients: keys
 * closer than the band form a cluster, ordered by label only when all its quotients are
 * exactly equal (compared as integers); otherwise the whole cluster stays a candidate, for
 * PostgreSQL's numeric order to decide.
 */
function narrow(c: Candidates, sortBy: Exclude<AggregateSortField, 'LABEL'>, asc: boolean, offset: number, size: number, rank: Int32Array | undefined): Candidates {
  const count = c.ids.length;
  if (!rank || count <= size) return c;
  for (const id of c.ids) if (id >= rank.length || rank[id]! < 0) return c;
  const keys = c.ids.map((_, i) => (sortBy === 'COUNT' ? c.n[i]! : sortBy === 'TOTAL_VALUE' ? c.cents[i]! : c.known[i]! > 0 ? c.cents[i]! / c.known[i]! : 0));
  const order = c.ids.map((_, i) => i).sort((a, b) => (asc ? keys[a]! - keys[b]! : keys[b]! - keys[a]!) || rank[c.ids[a]!]! - rank[c.ids[b]!]!);
  let from = offset - c.before;
  let to = Math.min(from + size, count);
  if (sortBy === 'AVG_VALUE') {
    // Clusters of near-equal keys, in sorted order; extend the page to whole ambiguous ones.
    const num = (i: number) => BigInt(c.known[i]! > 0 ? c.cents[i]! : 0);
    const den = (i: number) => BigInt(c.known[i]! > 0 ? c.known[i]! : 1);
    const near = (x: number, y: number) => Math.abs(x - y) <= AVG_BAND * Math.max(Math.abs(x), Math.abs(y), 1);
    const start: number[] = [];
    for (let p = 0; p < count; p++) start[p] = p > 0 && near(keys[order[p - 1]!]!, keys[order[p]!]!) ? start[p - 1]! : p;
    const end: number[] = [];
    for (let p = count - 1; p >= 0; p--) end[p] = p < count - 1 && start[p + 1] === start[p] ? end[p + 1]! : p + 1;
    const exact = (p: number) => {
      const head = order[start[p]!]!;
      for (let q = start[p]!; q < end[p]!; q++) if (num(order[q]!) * den(head) !== num(head) * den(order[q]!)) return false;
      return true;
    };
    if (!exact(from)) from = start[from]!;
    if (!exact(to - 1)) to = end[to - 1]!;
  }
  const keep = order.slice(from, to);
  return {
    ids: keep.map((i) => c.ids[i]!),
    n: keep.map((i) => c.n[i]!),
    known: keep.map((i) => c.known[i]!),
    cents: keep.map((i) => c.cents[i]!),
    before: c.before + from,
    groups: c.groups,
  };
}

/**
 * The candidates of a page of groups given as arrays indexed by id (counts, known counts,
 * cents; ids without contracts have count 0), e.g. added up from the contract columns;
 * `rank` as in MonthCells.ranks.
 */
export function pageOfGroupArrays(
  arrays: { n: Int32Array; known: Int32Array; cents: Float64Array },
  order: { sortBy: Exclude<AggregateSortField, 'LABEL'>; asc: boolean; offset: number; size: number },
  rank?: Int32Array,
): Candidates {
  let count = 0;
  for (let id = 0; id < arrays.n.length; id++) if (arrays.n[id]! > 0) count++;
  const ids = new Int32Array(count);
  for (let id = 0, j = 0; id < arrays.n.length; id++) if (arrays.n[id]! > 0) ids[j++] = id;
  const g: Groups = { ids, n: arrays.n, known: arrays.known, cents: arrays.cents };
  return narrow(candidatesOf(g, order.sortBy, order.asc, order.offset, order.size), order.sortBy, order.asc, order.offset, order.size, rank);
}

/**
 * The candidates of a page of groups given as a list (ids, counts, known counts, cents; an
 * id at most once), e.g. grouped by PostgreSQL in one pass; `rank` as in MonthCells.ranks.
 */
export function pageOfGroupList(
  list: { ids: number[]; n: number[]; known: number[]; cents: number[] },
  order: { sortBy: Exclude<AggregateSortField, 'LABEL'>; asc: boolean; offset: number; size: number },
  rank?: Int32Array,
): Candidates {
  const size = list.ids.reduce((max, id) => Math.max(max, id + 1), 0);
  const arrays = { n: new Int32Array(size), known: new Int32Array(size), cents: new Float64Array(size) };
  list.ids.forEach((id, i) => {
    arrays.n[id] = list.n[i]!;
    arrays.known[id] = list.known[i]!;
    arrays.cents[id] = list.cents[i]!;
  });
  return pageOfGroupArrays(arrays, order, rank);
}

/**
 * The page (offset, size) of one dimension over `months` plus the edge cells, as the
 * candidates that PostgreSQL orders (pageOfCandidatesSql).
 */
export function pageCandidates(
  cells: MonthCells,
  dimension: Dimension,
  months: string[],
  edges: EdgeRows,
  order: { sortBy: AggregateSortField; asc: boolean; offset: number; size: number },
): Candidates | null {
  const code = DIMENSION_CODE[dimension];
  const dim = cells.dimensions.get(code) ?? { months: new Map(), maxId: 0 };
  const groups = addUp(dim, months, edges, dimension);
  const rank = cells.ranks.get(code);
  if (order.sortBy === 'LABEL') return rank ? labelPage(groups, order, rank) : null;
  const candidates = candidatesOf(groups, order.sortBy, order.asc, order.offset, order.size);
  return narrow(candidates, order.sortBy, order.asc, order.offset, order.size, rank);
}

/** The page of groups in name order: exactly its rows (null when a group has no name). */
function labelPage(g: Groups, order: { asc: boolean; offset: number; size: number }, rank: Int32Array): Candidates | null {
  const ids = Array.from(g.ids);
  for (const id of ids) if (id >= rank.length || rank[id]! < 0) return null;
  ids.sort((a, b) => (order.asc ? rank[a]! - rank[b]! : rank[b]! - rank[a]!));
  const page = ids.slice(order.offset, order.offset + order.size);
  return {
    ids: page,
    n: page.map((id) => g.n[id]!),
    known: page.map((id) => g.known[id]!),
    cents: page.map((id) => g.cents[id]!),
    before: page.length ? order.offset : 0,
    groups: ids.length,
  };
}

/** Sort keys over a row `g` (id, n, known, total), as tablePageSql's (LABEL: the name, as its label). */
function sortKey(sortBy: AggregateSortField, table: Prisma.Sql): Prisma.Sql {
  if (sortBy === 'LABEL') return Prisma.sql`COALESCE((SELECT d.name FROM ${table} d WHERE d.id = g.id), ${UNSPECIFIED_AREA}::text)`;
  return { TOTAL_VALUE: Prisma.raw('g.total'), COUNT: Prisma.raw('g.n'), AVG_VALUE: avgSql('g') }[sortBy];
}

/**
 * Orders candidates in PostgreSQL and keeps the page: rows (groups, label, count, total, avg)
 * like tablePageSql's, one row of NULLs (with groups) when the page is empty. Totals are
 * cents × 0.01 (numeric, scale 2: the text of the SQL path's sums), averages avgSql.
 */
export function pageOfCandidatesSql(dimension: Dimension, c: Candidates, order: { sortBy: AggregateSortField; asc: boolean; offset: number; size: number }): Prisma.Sql {
  const { table } = DIMENSION_SQL[dimension];
  const dir = Prisma.raw(order.asc ? 'ASC' : 'DESC');
  const skip = c.ids.length ? order.offset - c.before : 0; // offset < groups when there are candidates
  return Prisma.sql`
    WITH g AS (
      SELECT u.id, u.n, u.known, u.cents * 0.01 AS total
        FROM unnest(${c.ids}::int[], ${c.n}::bigint[], ${c.known}::bigint[], ${c.cents}::bigint[]) AS u (id, n, known, cents)
    ), k AS (
      SELECT COALESCE((SELECT d.name FROM ${table} d WHERE d.id = g.id), ${UNSPECIFIED_AREA}::text) AS label, g.n, g.total,
             ${avgSql('g')} AS avg, ${sortKey(order.sortBy, table)} AS sort_key FROM g
    )
    SELECT ${c.groups}::bigint AS groups, p.label, p.n AS count, p.total::text AS total, p.avg::text AS avg
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (SELECT k.* FROM k ORDER BY k.sort_key ${dir}, k.label ASC LIMIT ${order.size}::int OFFSET ${skip}::bigint) p ON TRUE`;
}
