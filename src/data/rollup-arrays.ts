// The rows of every rollup table (rollups.ts), computed in this process from the contracts'
// columns (src/contracts/contract-columns.ts: award day, cents, four dimension ids per
// contract id), as COPY text in the order the SQL build writes them.
//
// Why: at 5.5M contracts PostgreSQL took ~95 core-seconds for the rollups (hash aggregates
// of five grouping sets, then more passes for quarters, years, category pairs and amount
// buckets); here one binary COPY out (~5 s; a seed takes the columns of the contracts it
// generates as it generates them instead: loadingColumns), ~10 s of counting and writing the
// rows' text here and a COPY in of the ~5.5M rows (~10 s with their keys) do the same: ~30
// core-seconds, a third of them this process's, which a seed runs beside its index builds.
// Positions serve as well as ids: nothing here depends on which contract is where. The SQL
// build (rollups.ts) remains for data these columns cannot hold exactly (sums of cents past
// 2^53, sparse ids, dates outside the years 1000-9999), and test/data/rollups.test.ts checks
// that both give the same rows.
import { DAY_ZERO, isoDay, NO_CONTRACT, type ContractColumns } from '../contracts/contract-columns.js';
import { DAY_MS, DIMENSION_CODE } from '../contracts/rollups.js';
import { bucketOfCents, LAST_BUCKET } from './amount-classes.js';

/** COPY text (chunks) of each rollup table's rows, in primary-key order per statement of the SQL build. */
export type RollupText = { daily: Buffer[]; dimension: Buffer[]; pairs: Buffer[]; amounts: Buffer[] };

/** The dimension codes of contract_dimension_totals and the pair rollups' other dimensions (1 ... 3). */
const CODES = [DIMENSION_CODE.CONTRACTOR, DIMENSION_CODE.ORGANIZATION, DIMENSION_CODE.AREA, DIMENSION_CODE.BUSINESS_CATEGORY] as const;
const PAIR_CODES = [DIMENSION_CODE.CONTRACTOR, DIMENSION_CODE.ORGANIZATION, DIMENSION_CODE.AREA] as const;
/** contract_dimension_totals' grains: all time, year, month, quarter. */
const GRAIN = { ALL: 0, YEAR: 1, MONTH: 2, QUARTER: 3 } as const;
/** The period of all-time rows. */
const ALL_TIME = '0001-01-01';

/**
 * Writes COPY text straight into byte buffers (ASCII: digits, dates, tabs): ~5M rows as
 * template strings took ~15 s of string building, joining and garbage collection.
 */
class CopyWriter {
  readonly chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private at = 0;

  /** Starts a row (room for any row here: at most 9 fields of ~25 bytes). */
  row(): this {
    if (this.at + 256 > this.buf.length) this.cut();
    return this;
  }
  /** A whole number (|n| < 2^53), then `end` (a tab or a newline). */
  int(n: number, end = TAB): this {
    if (n < 0) {
      this.buf[this.at++] = MINUS;
      n = -n;
    }
    let len = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) len++;
    let p = this.at + len - 1;
    do {
      const q = Math.floor(n / 10);
      this.buf[p--] = ZERO + (n - q * 10);
      n = q;
    } while (n > 0);
    this.at += len;
    this.buf[this.at++] = end;
    return this;
  }
  /** Pesos with two decimals of a whole number of cents (exact: |cents| < 2^53), then `end`. */
  money(cents: number, end = TAB): this {
    const a = Math.abs(cents);
    const whole = Math.floor(a / 100);
    const frac = a - whole * 100;
    if (cents < 0) this.buf[this.at++] = MINUS;
    this.int(whole, DOT);
    this.buf[this.at++] = ZERO + Math.floor(frac / 10);
    this.buf[this.at++] = ZERO + (frac % 10);
    this.buf[this.at++] = end;
    return this;
  }
  /** The 10 bytes of date `i` of `dates` (ISO dates, 10 bytes each), then `end`. */
  date(dates: Buffer, i: number, end = TAB): this {
    const from = i * 10;
    for (let k = 0; k < 10; k++) this.buf[this.at + k] = dates[from + k]!;
    this.at += 10;
    this.buf[this.at++] = end;
    return this;
  }
  /** The chunks written, the last one included. */
  done(): Buffer[] {
    this.cut();
    return this.chunks;
  }
  private cut(): void {
    if (this.at > 0) this.chunks.push(this.buf.subarray(0, this.at));
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
    this.at = 0;
  }
}
const CHUNK_BYTES = 1 << 20;
const [TAB, NEWLINE, MINUS, DOT, ZERO] = [9, 10, 45, 46, 48];

/** ISO dates ('YYYY-MM-DD', 10 bytes each) as one buffer. */
const dateBytes = (dates: string[]) => Buffer.from(dates.join(''), 'latin1');

/** Totals per dimension id (count, with an amount, cents, first and last day), with the ids touched since they were last drained. */
class Totals {
  readonly n: Int32Array;
  readonly known: Int32Array;
  readonly total: Float64Array;
  readonly first: Int32Array;
  readonly last: Int32Array;
  private touched: number[] = [];

  constructor(size: number) {
    this.n = new Int32Array(size);
    this.known = new Int32Array(size);
    this.total = new Float64Array(size);
    this.first = new Int32Array(size);
    this.last = new Int32Array(size);
  }
  /** One contract of id `v` awarded on day `d` (from the first day), `cents` NaN when unknown. */
  add(v: number, d: number, cents: number): void {
    if (this.n[v] === 0) {
      this.touched.push(v);
      this.first[v] = d;
      this.last[v] = d;
    } else {
      if (d < this.first[v]!) this.first[v] = d;
      if (d > this.last[v]!) this.last[v] = d;
    }
    this.n[v]!++;
    if (cents === cents) {
      this.known[v]!++;
      this.total[v]! += cents;
    }
  }
  /** Adds the totals of id `v` in `from`. */
  merge(from: Totals, v: number): void {
    if (this.n[v] === 0) {
      this.touched.push(v);
      this.first[v] = from.first[v]!;
      this.last[v] = from.last[v]!;
    } else {
      if (from.first[v]! < this.first[v]!) this.first[v] = from.first[v]!;
      if (from.last[v]! > this.last[v]!) this.last[v] = from.last[v]!;
    }
    this.n[v]! += from.n[v]!;
    this.known[v]! += from.known[v]!;
    this.total[v]! += from.total[v]!;
  }
  /** The ids touched since the last drain, ascending (then forgotten: reset each). */
  drain(): Int32Array {
    const ids = Int32Array.from(this.touched).sort();
    this.touched = [];
    return ids;
  }
  reset(v: number): void {
    this.n[v] = 0;
    this.known[v] = 0;
    this.total[v] = 0;
  }
}

/** The contract ids of each month (from the first month of the first year), ascending within a month (counting sort). */
function contractsByMonth(columns: ContractColumns, monthOf: Int32Array, months: number): { start: Int32Array; order: Int32Array } {
  const start = new Int32Array(months + 1);
  for (let c = 0; c < columns.size; c++) if (columns.day[c] !== NO_CONTRACT) start[monthOf[columns.day[c]! - columns.minDay]! + 1]!++;
  for (let m = 0; m < months; m++) start[m + 1]! += start[m]!;
  const next = start.slice(0, months);
  const order = new Int32Array(columns.count);
  for (let c = 0; c < columns.size; c++) if (columns.day[c] !== NO_CONTRACT) order[next[monthOf[columns.day[c]! - columns.minDay]!]!++] = c;
  return { start, order };
}

/** The contract ids of each dimension id, ascending by dimension id, then by contract id (counting sort). */
function byDimensionId(columns: ContractColumns, code: number): { start: Int32Array; order: Int32Array } {
  const counts = columns.counts.get(code)!;
  const ids = columns.dims.get(code)!;
  const start = new Int32Array(counts.length + 1);
  for (let v = 0; v < counts.length; v++) start[v + 1] = start[v]! + counts[v]!;
  const next = start.slice(0, counts.length);
  const order = new Int32Array(columns.count);
  for (let c = 0; c < columns.size; c++) if (columns.day[c] !== NO_CONTRACT) order[next[ids[c]!]!++] = c;
  return { start, order };
}

/**
 * Every rollup row of the contracts in `columns`, or null when a date lies outside the years
 * 1000-9999 (the SQL build then runs). Sums of cents are exact: the columns are held only
 * when the grand total of |cents| is below 2^53.
 */
export function rollupText(columns: ContractColumns): RollupText | null {
  const { minDay, maxDay } = columns;
  const days = maxDay - minDay + 1;
  // Calendar of the days spanned: month, quarter and year indexes (from the first month) and ISO dates.
  const firstDate = new Date(DAY_ZERO + minDay * DAY_MS);
  if (columns.count > 0 && (firstDate.getUTCFullYear() < 1000 || new Date(DAY_ZERO + maxDay * DAY_MS).getUTCFullYear() > 9999)) return null;
  const firstYear = firstDate.getUTCFullYear();
  const monthOf = new Int32Array(Math.max(0, days));
  const iso: string[] = new Array(Math.max(0, days));
  for (let d = 0; d < days; d++) {
    const s = isoDay(minDay + d);
    iso[d] = s;
    monthOf[d] = (Number(s.slice(0, 4)) - firstYear) * 12 + Number(s.slice(5, 7)) - 1;
  }
  const months = days > 0 ? monthOf[days - 1]! + 1 : 0;
  const years = Math.ceil(months / 12);
  const quarters = years * 4;
  const pad = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  const isoBytes = dateBytes(iso);
  const monthBytes = dateBytes(Array.from({ length: months }, (_, m) => `${firstYear + Math.floor(m / 12)}-${pad((m % 12) + 1)}-01`));
  const quarterBytes = dateBytes(Array.from({ length: quarters }, (_, q) => `${firstYear + Math.floor(q / 4)}-${pad((q % 4) * 3 + 1)}-01`));
  const yearBytes = dateBytes(Array.from({ length: years }, (_, y) => `${firstYear + y}-01-01`));
  const allTimeBytes = dateBytes([ALL_TIME]);
  const { day, cents } = columns;

  // contract_daily_totals: per award day.
  const daily = new CopyWriter();
  {
    const n = new Int32Array(days);
    const known = new Int32Array(days);
    const total = new Float64Array(days);
    for (let c = 0; c < columns.size; c++) {
      const d = day[c]!;
      if (d === NO_CONTRACT) continue;
      const i = d - minDay;
      n[i]!++;
      const v = cents[c]!;
      if (v === v) {
        known[i]!++;
        total[i]! += v;
      }
    }
    for (let i = 0; i < days; i++) if (n[i]) daily.row().date(isoBytes, i).int(n[i]!).int(known[i]!).money(total[i]!, NEWLINE);
  }

  // contract_dimension_totals: per dimension id and month, quarter, year and all time. The
  // contracts are read month after month, each dimension's months added up per id, then
  // into their quarter, year and all time as those end: every grain's rows come out in the
  // SQL build's order (by dimension, period, id), written as they are counted.
  const byMonth = contractsByMonth(columns, monthOf, months);
  const grainText = { [GRAIN.MONTH]: new CopyWriter(), [GRAIN.QUARTER]: new CopyWriter(), [GRAIN.YEAR]: new CopyWriter(), [GRAIN.ALL]: new CopyWriter() };
  for (const code of CODES) {
    const ids = columns.dims.get(code)!;
    const size = columns.maxIds.get(code)! + 1;
    const [month, quarter, year, all] = [new Totals(size), new Totals(size), new Totals(size), new Totals(size)] as const;
    const put = (from: Totals, grain: number, periodBytes: Buffer, period: number, into: Totals | null) => {
      const w = grainText[grain as keyof typeof grainText];
      for (const v of from.drain()) {
        w.row().int(code).int(grain).date(periodBytes, period).int(v).int(from.n[v]!).int(from.known[v]!);
        w.money(from.total[v]!).date(isoBytes, from.first[v]!).date(isoBytes, from.last[v]!, NEWLINE);
        into?.merge(from, v);
        from.reset(v);
      }
    };
    for (let m = 0; m < months; m++) {
      for (let k = byMonth.start[m]!; k < byMonth.start[m + 1]!; k++) {
        const c = byMonth.order[k]!;
        month.add(ids[c]!, day[c]! - minDay, cents[c]!);
      }
      put(month, GRAIN.MONTH, monthBytes, m, quarter);
      if (m % 3 === 2 || m === months - 1) put(quarter, GRAIN.QUARTER, quarterBytes, Math.floor(m / 3), year);
      if (m % 12 === 11 || m === months - 1) put(year, GRAIN.YEAR, yearBytes, Math.floor(m / 12), all);
    }
    put(all, GRAIN.ALL, allTimeBytes, 0, null);
  }
  // Month rows, then year, then quarter, then all time, as the SQL build writes them.
  const dimension = [GRAIN.MONTH, GRAIN.YEAR, GRAIN.QUARTER, GRAIN.ALL].flatMap((grain) => grainText[grain].done());
  const sorted = new Map(CODES.map((code) => [code, byDimensionId(columns, code)]));

  // contract_category_pair_totals: per business category and contractor, organization or area.
  const pairs = new CopyWriter();
  {
    const { start, order } = sorted.get(DIMENSION_CODE.BUSINESS_CATEGORY)!;
    const scratch = PAIR_CODES.map((code) => {
      const size = columns.maxIds.get(code)! + 1;
      return { ids: columns.dims.get(code)!, n: new Int32Array(size), known: new Int32Array(size), total: new Float64Array(size), touched: [] as number[] };
    });
    for (let category = 0; category + 1 < start.length; category++) {
      if (start[category] === start[category + 1]) continue;
      for (let k = start[category]!; k < start[category + 1]!; k++) {
        const c = order[k]!;
        const x = cents[c]!;
        for (const s of scratch) {
          const v = s.ids[c]!;
          if (s.n[v] === 0) s.touched.push(v);
          s.n[v]!++;
          if (x === x) {
            s.known[v]!++;
            s.total[v]! += x;
          }
        }
      }
      scratch.forEach((s, i) => {
        for (const v of Int32Array.from(s.touched).sort()) {
          pairs.row().int(category).int(PAIR_CODES[i]!).int(v).int(s.n[v]!).int(s.known[v]!).money(s.total[v]!, NEWLINE);
          s.n[v] = 0;
          s.known[v] = 0;
          s.total[v] = 0;
        }
        s.touched.length = 0;
      });
    }
  }

  // contract_amount_totals: contracts with an amount per amount bucket, over all (dimension
  // 0, id 0) and per dimension id.
  const amounts = new CopyWriter();
  {
    const bucket = new Int16Array(columns.size);
    const all = new Float64Array(LAST_BUCKET + 1);
    for (let c = 0; c < columns.size; c++) {
      if (day[c] === NO_CONTRACT) continue;
      const x = cents[c]!;
      if (x !== x) continue;
      const b = bucketOfCents(x);
      bucket[c] = b;
      all[b]!++;
    }
    for (let b = 0; b <= LAST_BUCKET; b++) if (all[b]) amounts.row().int(0).int(0).int(b).int(all[b]!, NEWLINE);
    const n = new Int32Array(LAST_BUCKET + 1);
    for (const code of CODES) {
      const { start, order } = sorted.get(code)!;
      for (let v = 0; v + 1 < start.length; v++) {
        let lo = LAST_BUCKET + 1;
        let hi = -1;
        for (let k = start[v]!; k < start[v + 1]!; k++) {
          const c = order[k]!;
          if (cents[c] !== cents[c]) continue;
          const b = bucket[c]!;
          if (b < lo) lo = b;
          if (b > hi) hi = b;
          n[b]!++;
        }
        for (let b = lo; b <= hi; b++) {
          if (n[b] === 0) continue;
          amounts.row().int(code).int(v).int(b).int(n[b]!, NEWLINE);
          n[b] = 0;
        }
      }
    }
  }

  return { daily: daily.done(), dimension, pairs: pairs.done(), amounts: amounts.done() };
}
