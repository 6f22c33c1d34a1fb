// The in-memory month cells (src/contracts/month-cells.ts): which months and edge days a
// range is read as, and that the rows picked for a page are exactly the ones an ordering of
// the groups could put there, against brute force over random cells.
import { describe, expect, it } from 'vitest';
import { cellPlanOf, NO_EDGES, pageCandidates, unpackMonthCells, type EdgeRows } from '../../src/contracts/month-cells.js';
import { piecesOf } from '../../src/contracts/rollups.js';
import { createRng } from '../../src/data/random.js';

describe('cellPlanOf', () => {
  it('reads whole years and quarters as their months', () => {
    const plan = cellPlanOf(piecesOf([{ from: '2023-01-01', to: '2024-06-30' }]));
    expect(plan.months.sort()).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `2023-${String(i + 1).padStart(2, '0')}-01`),
      '2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01', '2024-06-01',
    ]);
    expect(plan.plus).toEqual([]);
    expect(plan.minus).toEqual([]);
  });

  it('reads a short leftover span as its days, and most of a month as the month less the rest', () => {
    // 2023-03-15..31 is 17 days of March: March less 1..14 (14 days) reads fewer contracts.
    // 2024-06-01..10 is 10 days: read as they are.
    const plan = cellPlanOf(piecesOf([{ from: '2023-03-15', to: '2024-06-10' }]));
    expect(plan.months).toContain('2023-03-01');
    expect(plan.months).not.toContain('2024-06-01');
    expect(plan.minus).toEqual([{ from: '2023-03-01', to: '2023-03-14' }]);
    expect(plan.plus).toEqual([{ from: '2024-06-01', to: '2024-06-10' }]);
  });

  it('takes the month less both ends for a span inside a month that covers most of it', () => {
    const plan = cellPlanOf(piecesOf([{ from: '2024-02-03', to: '2024-02-26' }])); // leap year: 29 days
    expect(plan).toEqual({ months: ['2024-02-01'], plus: [], minus: [{ from: '2024-02-01', to: '2024-02-02' }, { from: '2024-02-27', to: '2024-02-29' }] });
  });

  it('keeps a span that is half its month or less as days', () => {
    expect(cellPlanOf(piecesOf([{ from: '2021-04-01', to: '2021-04-15' }]))).toEqual({ months: [], plus: [{ from: '2021-04-01', to: '2021-04-15' }], minus: [] });
  });
});

// ---- pages against brute force

type Cell = { month: number; id: number; n: number; known: number; cents: number };

/** Packs cells like the load statement (per (dimension, month): int4 id, n, known, int8 cents). */
function pack(cells: Cell[]) {
  const byMonth = new Map<number, Cell[]>();
  for (const c of cells) byMonth.set(c.month, [...(byMonth.get(c.month) ?? []), c]);
  return [...byMonth].map(([month, list]) => {
    const bytes = new Uint8Array(list.length * 20);
    const view = new DataView(bytes.buffer);
    list.forEach((c, i) => {
      view.setInt32(i * 20, c.id);
      view.setInt32(i * 20 + 4, c.n);
      view.setInt32(i * 20 + 8, c.known);
      view.setBigInt64(i * 20 + 12, BigInt(c.cents));
    });
    return { dimension: 1, period: `2020-${String(month).padStart(2, '0')}-01`, cells: bytes };
  });
}

/** a/b compared with c/d exactly (b, d > 0). */
const cmpRatio = (a: number, b: number, c: number, d: number) => {
  const l = BigInt(a) * BigInt(d);
  const r = BigInt(c) * BigInt(b);
  return l < r ? -1 : l > r ? 1 : 0;
};

type Group = { id: number; n: number; known: number; cents: number };
/** Exact comparison of two groups' keys, in ascending order. */
function compareKeys(sortBy: 'TOTAL_VALUE' | 'COUNT' | 'AVG_VALUE', x: Group, y: Group): number {
  if (sortBy === 'COUNT') return Math.sign(x.n - y.n);
  if (sortBy === 'TOTAL_VALUE') return Math.sign(x.cents - y.cents);
  return cmpRatio(x.known ? x.cents : 0, x.known || 1, y.known ? y.cents : 0, y.known || 1);
}

describe('pageCandidates', () => {
  it('picks every group a page can hold and counts those ranked before, for random cells, edges, sorts and pages', () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 300; trial++) {
      const ids = 5 + rng.int(60);
      const cells: Cell[] = [];
      for (let month = 1; month <= 4; month++) {
        for (let id = 0; id < ids; id++) {
          if (rng.next() < 0.4) continue;
          const n = 1 + rng.int(4);
          const known = rng.int(n + 1);
          // Few distinct amounts, so that keys tie often (the hard case for a page boundary).
          const cents = known ? (1 + rng.int(3)) * 100_000 * known + (rng.next() < 0.3 ? rng.int(7) : 0) : 0;
          cells.push({ month, id, n, known, cents });
        }
      }
      // Half the trials know the labels' order (a random permutation of the ids), half do not.
      const labelled = rng.next() < 0.5;
      const rank = Array.from({ length: ids + 3 }, (_, i) => i).sort(() => rng.next() - 0.5);
      const rankBytes = new Uint8Array(rank.length * 4);
      rank.forEach((id, i) => new DataView(rankBytes.buffer).setInt32(i * 4, id));
      const position = new Map(rank.map((id, i) => [id, i]));
      const loaded = unpackMonthCells('k', pack(cells), labelled ? [{ dimension: 1, ids: rankBytes }] : [])!;
      const months = ['2020-01-01', '2020-02-01', '2020-03-01', '2020-04-01'].filter(() => rng.next() < 0.8);
      // Edge contracts: some added, some subtracted (only from groups whose months hold them).
      const edgeList: { id: number; flags: number; cents: number }[] = [];
      for (let e = 0; e < rng.int(20); e++) edgeList.push({ id: rng.int(ids + 3), flags: rng.next() < 0.8 ? 1 : 0, cents: rng.int(5) * 100_000 });
      const minus = cells.filter((c) => months.includes(`2020-0${c.month}-01`) && c.known > 0 && c.n > 1).slice(0, 3);
      for (const c of minus) edgeList.push({ id: c.id, flags: 3, cents: 0 }); // one known contract of 0 taken out
      const edges: EdgeRows = {
        dimensions: ['CONTRACTOR'],
        count: edgeList.length,
        ids: Int32Array.from(edgeList.map((e) => e.id)),
        flags: Uint8Array.from(edgeList.map((e) => e.flags)),
        cents: Float64Array.from(edgeList.map((e) => e.cents)),
      };

      // Brute force: the groups.
      const sums = new Map<number, Group>();
      const add = (id: number, n: number, known: number, cents: number) => {
        const g = sums.get(id) ?? { id, n: 0, known: 0, cents: 0 };
        g.n += n;
        g.known += known;
        g.cents += cents;
        sums.set(id, g);
      };
      for (const c of cells) if (months.includes(`2020-0${c.month}-01`)) add(c.id, c.n, c.known, c.cents);
      for (const e of edgeList) {
        const sign = e.flags & 2 ? -1 : 1;
        add(e.id, sign, sign * (e.flags & 1), sign * e.cents);
      }
      const groups = [...sums.values()].filter((g) => g.n > 0);

      const sortBy = (['TOTAL_VALUE', 'COUNT', 'AVG_VALUE'] as const)[rng.int(3)]!;
      const asc = rng.next() < 0.5;
      const size = 1 + rng.int(6);
      const offset = rng.int(groups.length + 3);
      if (labelled && rng.next() < 0.25) {
        // Name order: exactly the page's groups, in order, with their sums.
        const byName = pageCandidates(loaded, 'CONTRACTOR', months, edges, { sortBy: 'LABEL', asc, offset, size })!;
        const expected = [...groups].sort((x, y) => (asc ? 1 : -1) * (position.get(x.id)! - position.get(y.id)!)).slice(offset, offset + size);
        expect(byName.ids, JSON.stringify({ trial, asc, offset, size })).toEqual(expected.map((g) => g.id));
        expect(byName.cents).toEqual(expected.map((g) => g.cents));
        expect(byName.groups).toBe(groups.length);
        continue;
      }
      const got = pageCandidates(loaded, 'CONTRACTOR', months, edges, { sortBy, asc, offset, size })!;
      const ctx = { trial, labelled, sortBy, asc, offset, size, groups: groups.length };

      expect(got.groups, JSON.stringify(ctx)).toBe(groups.length);
      if (offset >= groups.length) {
        expect(got.ids).toEqual([]);
        continue;
      }
      // The candidates carry their groups' exact sums.
      const picked = got.ids.map((id, i) => ({ id, n: got.n[i]!, known: got.known[i]!, cents: got.cents[i]! }));
      for (const p of picked) expect(p, JSON.stringify(ctx)).toEqual(sums.get(p.id));
      // Better = ranked earlier in the requested direction.
      const better = (x: Group, y: Group) => (asc ? compareKeys(sortBy, x, y) < 0 : compareKeys(sortBy, x, y) > 0);
      if (labelled) {
        // What PostgreSQL then does (order the candidates by key, then label; skip, take)
        // gives exactly the page of all groups in that order.
        const byKeyThenLabel = (x: Group, y: Group) => (better(x, y) ? -1 : better(y, x) ? 1 : position.get(x.id)! - position.get(y.id)!);
        const page = [...picked].sort(byKeyThenLabel).slice(offset - got.before, offset - got.before + size);
        expect(page.map((g) => g.id), JSON.stringify(ctx)).toEqual([...groups].sort(byKeyThenLabel).slice(offset, offset + size).map((g) => g.id));
        expect(picked.length, JSON.stringify(ctx)).toBeLessThanOrEqual(size + (sortBy === 'AVG_VALUE' ? groups.length : 0));
        continue;
      }
      const pickedIds = new Set(got.ids);
      const others = groups.filter((g) => !pickedIds.has(g.id));
      const before = others.filter((g) => picked.every((p) => better(g, p)));
      const after = others.filter((g) => picked.every((p) => better(p, g)));
      // Every other group ranks strictly before or strictly after all candidates, whatever the tie order...
      expect(before.length + after.length, JSON.stringify(ctx)).toBe(others.length);
      expect(got.before, JSON.stringify(ctx)).toBe(before.length);
      // ... and the page's ranks fall within the candidates'.
      expect(got.before, JSON.stringify(ctx)).toBeLessThanOrEqual(offset);
      expect(got.before + picked.length, JSON.stringify(ctx)).toBeGreaterThanOrEqual(Math.min(offset + size, groups.length));
    }
  });

  it('leaves averages that differ by less than double rounding to PostgreSQL, and orders exactly equal ones by label', () => {
    // id 1: 300000000000001 / 3 cents, id 2 and id 3: 100000000000000 / 1. As doubles all three
    // are within 1e-9 of each other, though only 2 and 3 are equal; id 4 is far below.
    const cells: Cell[] = [
      { month: 1, id: 1, n: 3, known: 3, cents: 300_000_000_000_001 },
      { month: 1, id: 2, n: 1, known: 1, cents: 100_000_000_000_000 },
      { month: 1, id: 3, n: 1, known: 1, cents: 100_000_000_000_000 },
      { month: 1, id: 4, n: 1, known: 1, cents: 5 },
    ];
    const rankBytes = new Uint8Array(20);
    [4, 3, 2, 1, 0].forEach((id, i) => new DataView(rankBytes.buffer).setInt32(i * 4, id)); // labels: 4 < 3 < 2 < 1
    const loaded = unpackMonthCells('k', pack(cells), [{ dimension: 1, ids: rankBytes }])!;
    const page = (offset: number, size: number) => pageCandidates(loaded, 'CONTRACTOR', ['2020-01-01'], NO_EDGES, { sortBy: 'AVG_VALUE', asc: false, offset, size })!;
    // The top average (1, exactly) sits in a cluster that is not all equal: all three go to PostgreSQL.
    expect(page(0, 1)).toMatchObject({ ids: expect.arrayContaining([1, 2, 3]), before: 0 });
    expect(page(0, 1).ids).toHaveLength(3);
    // The last row stands alone: exactly itself.
    expect(page(3, 1)).toMatchObject({ ids: [4], before: 3 });
  });

  it('leaves name order to SQL when the order of the names is not known', () => {
    const loaded = unpackMonthCells('k', pack([{ month: 1, id: 1, n: 1, known: 1, cents: 5 }]))!;
    expect(pageCandidates(loaded, 'CONTRACTOR', ['2020-01-01'], NO_EDGES, { sortBy: 'LABEL', asc: true, offset: 0, size: 5 })).toBeNull();
  });

  it('orders a tie of exactly equal averages by label alone', () => {
    const cells: Cell[] = [
      { month: 1, id: 1, n: 2, known: 2, cents: 400 }, // 200
      { month: 1, id: 2, n: 1, known: 1, cents: 200 }, // 200
      { month: 1, id: 3, n: 4, known: 4, cents: 800 }, // 200
      { month: 1, id: 4, n: 1, known: 1, cents: 100 },
    ];
    const rankBytes = new Uint8Array(20);
    [0, 3, 1, 4, 2].forEach((id, i) => new DataView(rankBytes.buffer).setInt32(i * 4, id)); // labels: 3 < 1 < 4 < 2
    const loaded = unpackMonthCells('k', pack(cells), [{ dimension: 1, ids: rankBytes }])!;
    const got = pageCandidates(loaded, 'CONTRACTOR', ['2020-01-01'], NO_EDGES, { sortBy: 'AVG_VALUE', asc: false, offset: 1, size: 1 });
    expect(got).toMatchObject({ ids: [1], before: 1, groups: 4 }); // 3, then 1, then 2 (all 200), then 4
  });
});
