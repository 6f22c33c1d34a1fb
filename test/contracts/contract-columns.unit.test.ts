// The contract columns in memory (src/contracts/contract-columns.ts): the groups a scan or an
// id list gives equal those of brute force over the same random contracts.
import { describe, expect, it } from 'vitest';
import { centsOf, columnsOf, dayNumber, emptyColumns, groupIds, groupList, groupScan, isoDay, readCopy, type Selection } from '../../src/contracts/contract-columns.js';
import { DIMENSION_CODE } from '../../src/contracts/rollups.js';
import { createRng, type Rng } from '../../src/data/random.js';

type Row = { id: number; day: string; contractor: number; organization: number; area: number | null; category: number; cents: number | null };

const pad = (n: number) => String(n).padStart(2, '0');

/** Random contracts with gaps in their ids, missing areas and unknown amounts. */
function randomRows(rng: Rng, count: number): Row[] {
  const rows: Row[] = [];
  let id = 1;
  for (let i = 0; i < count; i++) {
    id += 1 + (rng.next() < 0.1 ? rng.int(5) : 0);
    rows.push({
      id,
      day: `${2013 + rng.int(12)}-${pad(1 + rng.int(12))}-${pad(1 + rng.int(28))}`,
      contractor: 1 + rng.int(300),
      organization: 1 + rng.int(80),
      area: rng.next() < 0.1 ? null : 1 + rng.int(20),
      category: 1 + rng.int(12),
      cents: rng.next() < 0.05 ? null : rng.int(100_000_000),
    });
  }
  return rows;
}

type Totals = Map<number, { n: number; known: number; cents: number }>;

function bruteForce(rows: Row[], key: (r: Row) => number): Totals {
  const out: Totals = new Map();
  for (const r of rows) {
    const k = key(r);
    const g = out.get(k) ?? { n: 0, known: 0, cents: 0 };
    g.n += 1;
    if (r.cents !== null) {
      g.known += 1;
      g.cents += r.cents;
    }
    out.set(k, g);
  }
  return out;
}

function asTotals(list: { ids: number[]; n: number[]; known: number[]; cents: number[] }): Totals {
  return new Map(list.ids.map((id, i) => [id, { n: list.n[i]!, known: list.known[i]!, cents: list.cents[i]! }]));
}

const KEYS: [number, (r: Row) => number][] = [
  [DIMENSION_CODE.CONTRACTOR, (r) => r.contractor],
  [DIMENSION_CODE.ORGANIZATION, (r) => r.organization],
  [DIMENSION_CODE.AREA, (r) => r.area ?? 0],
  [DIMENSION_CODE.BUSINESS_CATEGORY, (r) => r.category],
  [0, (r) => dayNumber(r.day)],
];

const CODES = KEYS.map(([code]) => code).filter((code) => code !== 0);

describe('contract columns', () => {
  it('number days from 2000-01-01, both ways', () => {
    expect(dayNumber('2000-01-01')).toBe(0);
    expect(dayNumber('2024-02-29')).toBe(8825);
    expect(isoDay(8825)).toBe('2024-02-29');
    expect(isoDay(dayNumber('1999-12-31'))).toBe('1999-12-31');
  });

  it('group what a selection keeps exactly as brute force does', async () => {
    const rng = createRng(7);
    const rows = randomRows(rng, 5_000);
    const columns = columnsOf(rows);
    expect(columns.count).toBe(rows.length);
    for (let trial = 0; trial < 60; trial++) {
      const selection: Selection = { dimensions: [], ranges: [] };
      const tests: ((r: Row) => boolean)[] = [];
      for (const [code, key] of KEYS.slice(0, 4)) {
        if (rng.next() < 0.4) {
          const ids = Array.from({ length: 1 + rng.int(10) }, () => rng.int(code === DIMENSION_CODE.CONTRACTOR ? 320 : 25));
          selection.dimensions.push({ code, ids });
          tests.push((r) => ids.includes(key(r)));
        }
      }
      if (rng.next() < 0.6) {
        for (let k = 0; k < 1 + rng.int(2); k++) {
          const [from, to] = [`${2013 + rng.int(12)}-${pad(1 + rng.int(12))}-${pad(1 + rng.int(28))}`, `${2013 + rng.int(12)}-06-15`].sort();
          selection.ranges.push({ from: rng.next() < 0.2 ? null : from!, to: rng.next() < 0.2 ? null : to! });
        }
        const ranges = selection.ranges;
        tests.push((r) => ranges.some((x) => (x.from === null || r.day >= x.from) && (x.to === null || r.day <= x.to)));
      }
      if (rng.next() < 0.4) {
        const [min, max] = [rng.int(100_000_000), rng.int(100_000_000)].sort((a, b) => a - b);
        if (rng.next() < 0.7) selection.minCents = min!;
        if (rng.next() < 0.7) selection.maxCents = max!;
        const lo = selection.minCents ?? -Infinity;
        const hi = selection.maxCents ?? Infinity;
        // A bound excludes unknown amounts, as in SQL (a comparison with NULL is never true).
        if (selection.minCents !== undefined || selection.maxCents !== undefined) tests.push((r) => r.cents !== null && r.cents >= lo && r.cents <= hi);
      }
      const kept = rows.filter((r) => tests.every((t) => t(r)));
      const groups = await groupScan(columns, selection, CODES, true);
      for (const [code, key] of KEYS) expect(asTotals(groupList(groups.get(code)!))).toEqual(bruteForce(kept, key));
    }
  });

  it('group an id list exactly as brute force does, and refuse an id without a contract', async () => {
    const rng = createRng(8);
    const rows = randomRows(rng, 3_000);
    const columns = columnsOf(rows);
    const pack = (list: Row[]) => {
      const packed = new Uint8Array(list.length * 4);
      const view = new DataView(packed.buffer);
      list.forEach((r, i) => view.setInt32(i * 4, r.id));
      return packed;
    };
    // Many ids (read through marks, in id order) and a few (read as a sorted list), in PostgreSQL's order: any.
    const shuffled = rows.filter(() => rng.next() < 0.3).sort(() => rng.next() - 0.5);
    for (const kept of [shuffled, shuffled.slice(0, 40)]) {
      const groups = await groupIds(columns, pack(kept), [DIMENSION_CODE.AREA, DIMENSION_CODE.CONTRACTOR], true);
      expect([...groups.keys()]).toEqual([DIMENSION_CODE.AREA, DIMENSION_CODE.CONTRACTOR, 0]);
      for (const [code, key] of KEYS.filter(([code]) => groups.has(code))) expect(asTotals(groupList(groups.get(code)!))).toEqual(bruteForce(kept, key));
    }
    expect(groupList((await groupIds(columns, null, [DIMENSION_CODE.AREA], false)).get(DIMENSION_CODE.AREA)!).ids).toEqual([]);
    // An id past the columns, or inside them without a contract (a gap), whether few or many.
    const gap = rows.findIndex((r, i) => i > 0 && r.id > rows[i - 1]!.id + 1);
    for (const id of [rows.at(-1)!.id + 1_000, rows[gap]!.id - 1]) {
      const withIt = new Uint8Array([...pack(rows.slice(0, 1)), ...new Uint8Array(new Int32Array([0]).buffer)]);
      new DataView(withIt.buffer).setInt32(4, id);
      await expect(groupIds(columns, withIt, [DIMENSION_CODE.AREA], false)).rejects.toThrow(/not in the columns/);
      const many = new Uint8Array([...pack(rows), ...withIt.subarray(4)]);
      await expect(groupIds(columns, many, [DIMENSION_CODE.AREA], false)).rejects.toThrow(/not in the columns/);
    }
  });
});

describe('the columns\' binary COPY', () => {
  /** What PostgreSQL sends for COPY_SQL's rows (binary format): header, rows of 7 fields, trailer. */
  function copyBytes(rows: Row[]): Buffer {
    const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
    const body = rows.map((r) => {
      const b = Buffer.alloc(62);
      b.writeInt16BE(7, 0);
      const ints = [r.id, dayNumber(r.day), r.contractor, r.organization, r.area ?? 0, r.category];
      ints.forEach((v, i) => {
        b.writeInt32BE(4, 2 + 8 * i);
        b.writeInt32BE(v, 6 + 8 * i);
      });
      b.writeInt32BE(8, 50);
      b.writeBigInt64BE(r.cents === null ? -(2n ** 63n) : BigInt(r.cents), 54);
      return b;
    });
    const trailer = Buffer.alloc(2);
    trailer.writeInt16BE(-1, 0);
    return Buffer.concat([header, ...body, trailer]);
  }

  it('reads every row whatever the chunks, and refuses a stream cut short', async () => {
    const rng = createRng(10);
    const rows = randomRows(rng, 500);
    const bytes = copyBytes(rows);
    const expected = columnsOf(rows);
    for (const cut of [1, 7, 61, 62, 63, 1000, bytes.length]) {
      const columns = emptyColumns(expected.size);
      async function* chunks() {
        for (let o = 0; o < bytes.length; o += cut) yield bytes.subarray(o, o + cut);
      }
      const grand = await readCopy(chunks(), columns);
      expect(grand).toBe(rows.reduce((sum, r) => sum + (r.cents ?? 0), 0));
      expect(columns.day).toEqual(expected.day);
      expect(columns.cents).toEqual(expected.cents);
      expect(columns.dims).toEqual(expected.dims);
    }
    async function* cutShort() {
      yield bytes.subarray(0, bytes.length - 10);
    }
    await expect(readCopy(cutShort(), emptyColumns(expected.size))).rejects.toThrow(/ended early/);
  });

  it('hold ids from the smallest one (a re-seed\'s), and group their id lists alike', async () => {
    const rng = createRng(12);
    const rows = randomRows(rng, 2_000);
    const first = 7_000_000;
    const shifted = rows.map((r) => ({ ...r, id: r.id + first }));
    const expected = columnsOf(rows);
    const columns = emptyColumns(expected.size, first);
    await readCopy((async function* () { yield copyBytes(shifted); })(), columns);
    expect(columns.day).toEqual(expected.day);
    expect(columns.dims).toEqual(expected.dims);
    const pack = (ids: number[]) => {
      const packed = new Uint8Array(ids.length * 4);
      ids.forEach((id, i) => new DataView(packed.buffer).setInt32(i * 4, id));
      return packed;
    };
    const kept = rows.filter(() => rng.next() < 0.5);
    for (const some of [kept, kept.slice(0, 20)]) {
      const groups = await groupIds({ ...expected, first }, pack(some.map((r) => r.id + first)), [DIMENSION_CODE.CONTRACTOR], false);
      expect(asTotals(groupList(groups.get(DIMENSION_CODE.CONTRACTOR)!))).toEqual(bruteForce(some, KEYS.find(([code]) => code === DIMENSION_CODE.CONTRACTOR)![1]));
    }
    // An id below the first one held is not in the columns.
    await expect(groupIds({ ...expected, first }, pack([first - 1]), [DIMENSION_CODE.CONTRACTOR], false)).rejects.toThrow(/not in the columns/);
  });
});

describe('centsOf', () => {
  it('reads pesos with at most two decimals as exact cents, and null as unknown', () => {
    expect(['1234.56', '7', '7.5', '0.01', '0.00', '-7.25', '-0.5', '1000000.00'].map(centsOf)).toEqual([123456, 700, 750, 1, 0, -725, -50, 100000000]);
    expect(centsOf('90071992547409.91')).toBe(2 ** 53 - 1); // exact up to the limit
    expect(centsOf(null)).toBeNaN();
    for (const bad of ['1.234', '', '.5', '1.', 'abc', '1e5', ' 1']) expect(() => centsOf(bad), bad).toThrow(/two decimals/);
  });
});
