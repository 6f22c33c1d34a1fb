// Does generated data skew like the real thing? 100k contracts, compared with shares
// computed here from the real per-entity files (src/data/reference), with tolerances
// for the sampling noise of 100k heavy-tailed draws.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateContracts } from '../../src/data/generate.js';
import { createRng } from '../../src/data/random.js';
import { loadReferenceData, type ReferenceData, type ReferenceEntity } from '../../src/data/reference/load.js';
import { SAMPLE_CSV } from './csv.js';
import { createPooledTestDatabase, type PooledTestDatabase } from '../helpers/db.js';

const N = 100_000;
let db: PooledTestDatabase;
let ref: ReferenceData;
let totalValue: number;
const rows = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await db.pool.query<T>(sql, params)).rows;

/** Share of all value held by the `k` entities with the highest total. */
const topShare = (totals: number[], k: number) => {
  const sorted = [...totals].sort((a, b) => b - a);
  return sorted.slice(0, k).reduce((s, x) => s + x, 0) / sorted.reduce((s, x) => s + x, 0);
};
const realTotals = (es: ReferenceEntity[]) => es.map((e) => e.total);

/** Generated value per contractor or organization. */
const generatedTotals = async (column: 'contractor_id' | 'organization_id') =>
  (await rows<{ v: number }>(`SELECT coalesce(sum(amount), 0)::float8 AS v FROM contracts GROUP BY ${column}`)).map((r) => r.v);

/** Award and notice titles of the real sample's contracts (one per award reference; unawarded rows skipped). */
function realTitles(): { award: string[]; notice: string[] } {
  const records = parse(readFileSync(SAMPLE_CSV), { columns: true }) as Record<string, string>[];
  const byReference = new Map<string, Record<string, string>>();
  for (const r of records) if (r['Award Reference No.'] !== 'NULL' && !byReference.has(r['Award Reference No.']!)) byReference.set(r['Award Reference No.']!, r);
  const contracts = [...byReference.values()];
  return { award: contracts.map((r) => r['Award Title']!), notice: contracts.map((r) => r['Notice Title']!) };
}

/** Mean share of distinct titles among `size` titles drawn from `titles` (deterministic draws): comparable across sizes. */
function distinctShareAt(titles: string[], size: number): number {
  const rng = createRng(99);
  let sum = 0;
  const draws = 400;
  for (let d = 0; d < draws; d++) {
    const seen = new Set<string>();
    for (let i = 0; i < size; i++) seen.add(titles[rng.int(titles.length)]!);
    sum += seen.size / size;
  }
  return sum / draws;
}

/** Two-sample Kolmogorov-Smirnov statistic: the largest gap between the two empirical distributions. */
function ksStatistic(a: number[], b: number[]): number {
  const xs = [...a].sort((x, y) => x - y);
  const ys = [...b].sort((x, y) => x - y);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < xs.length && j < ys.length) {
    const v = Math.min(xs[i]!, ys[j]!);
    while (i < xs.length && xs[i]! <= v) i++;
    while (j < ys.length && ys[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / xs.length - j / ys.length));
  }
  return d;
}

/** Three standard errors of a share `p` measured on `n` real titles: the sample's own uncertainty. */
const band = (p: number, n: number) => Math.max(0.03, 3 * Math.sqrt((p * (1 - p)) / n));

beforeAll(async () => {
  db = await createPooledTestDatabase('data_skew', 2);
  ref = await loadReferenceData();
  await generateContracts(db.url, { contracts: N, seed: 1 });
  totalValue = Number((await rows<{ v: number }>('SELECT sum(amount)::float8 AS v FROM contracts'))[0]!.v);
}, 600_000);
afterAll(async () => db?.drop());

describe('generateContracts at 100k contracts', () => {
  describe('business categories', () => {
    it('gives Construction Projects its real share of awards and of value', async () => {
      const real = ref.categories.find((c) => c.name === 'Construction Projects')!;
      const realCountShare = real.count / ref.categories.reduce((s, c) => s + c.count, 0); // 0.154
      const realValueShare = real.total / ref.categories.reduce((s, c) => s + c.total, 0); // 0.686
      const [g] = await rows<{ n: number; v: number }>(
        `SELECT count(*)::int AS n, sum(amount)::float8 AS v FROM contracts c JOIN business_categories b ON b.id = c.business_category_id WHERE b.name = 'Construction Projects'`,
      );
      expect(Math.abs(g!.n / N - realCountShare)).toBeLessThan(0.01);
      expect(Math.abs(g!.v / totalValue - realValueShare)).toBeLessThan(0.05);
    });

    it('calibrates each big category mean amount to its real average', async () => {
      for (const real of ref.categories.slice(0, 5)) {
        const [g] = await rows<{ mean: number }>(
          `SELECT avg(amount)::float8 AS mean FROM contracts c JOIN business_categories b ON b.id = c.business_category_id WHERE b.name = $1`,
          [real.name],
        );
        const ratio = g!.mean / (real.total / real.count);
        expect({ category: real.name, ok: ratio > 0.85 && ratio < 1.15 }).toEqual({ category: real.name, ok: true });
      }
    });
  });

  describe('contractors and organizations', () => {
    it('concentrates value in the real top-decile contractors as much as the real data does', async () => {
      const byValue = [...ref.contractors].sort((a, b) => b.total - a.total);
      const decile = byValue.slice(0, Math.floor(byValue.length / 10));
      const realShare = topShare(realTotals(ref.contractors), decile.length); // 0.93
      const [g] = await rows<{ v: number }>(
        `SELECT coalesce(sum(amount), 0)::float8 AS v FROM contracts c JOIN contractors k ON k.id = c.contractor_id WHERE k.name = ANY($1::text[])`,
        [decile.map((e) => e.name)],
      );
      expect(Math.abs(g!.v / totalValue - realShare)).toBeLessThan(0.04);
    });

    it('gives the top 100 contractors about the real quarter of all value', async () => {
      const real = topShare(realTotals(ref.contractors), 100); // 0.251
      expect(Math.abs(topShare(await generatedTotals('contractor_id'), 100) - real)).toBeLessThan(0.05);
    });

    it('gives the top 100 organizations about the real half of all value', async () => {
      const real = topShare(realTotals(ref.organizations), 100); // 0.501
      expect(Math.abs(topShare(await generatedTotals('organization_id'), 100) - real)).toBeLessThan(0.06);
    });
  });

  describe('award dates', () => {
    it('covers every year 2013-2025 with the real growth from 2014 to 2024', async () => {
      const years = await rows<{ y: number; n: number }>(`SELECT extract(year FROM award_date)::int AS y, count(*)::int AS n FROM contracts GROUP BY 1 ORDER BY 1`);
      expect(years.map((r) => r.y)).toEqual([2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025]);
      const n = (y: number) => years.find((r) => r.y === y)!.n;
      // README: about 120K awards in 2014 and 470K in 2024, a ratio of 3.9.
      expect(n(2024) / n(2014)).toBeGreaterThan(3.2);
      expect(n(2024) / n(2014)).toBeLessThan(4.6);
    });

    it('peaks in December', async () => {
      const months = await rows<{ m: number; n: number }>(`SELECT extract(month FROM award_date)::int AS m, count(*)::int AS n FROM contracts GROUP BY 1 ORDER BY 2 DESC`);
      expect(months).toHaveLength(12);
      expect(months[0]!.m).toBe(12);
      const median = months[6]!.n;
      expect(months[0]!.n / median).toBeGreaterThan(1.5);
    });

    it('come in ascending order with the ids and reference ids, and nothing else follows them', async () => {
      const [order] = await rows<{ back: number; refsBack: number }>(`
        SELECT count(*) FILTER (WHERE award_date < prev_date)::int AS back, count(*) FILTER (WHERE reference_id < prev_ref)::int AS "refsBack"
          FROM (SELECT award_date, reference_id, lag(award_date) OVER w AS prev_date, lag(reference_id) OVER w AS prev_ref
                  FROM contracts WINDOW w AS (ORDER BY id)) c`);
      expect(order).toEqual({ back: 0, refsBack: 0 });
      // Only the dates are sorted: what a contract is does not drift with its date. The share of
      // the largest category, and the mean log amount, are alike in each fifth of the contracts.
      const fifths = await rows<{ share: number; logAmount: number }>(`
        SELECT avg((business_category_id = (SELECT business_category_id FROM contracts GROUP BY 1 ORDER BY count(*) DESC LIMIT 1))::int)::float8 AS share,
               avg(ln(amount)) FILTER (WHERE amount > 0)::float8 AS "logAmount"
          FROM (SELECT *, ntile(5) OVER (ORDER BY id) AS fifth FROM contracts) c GROUP BY fifth ORDER BY fifth`);
      expect(fifths).toHaveLength(5);
      for (const f of fifths) {
        expect(Math.abs(f.share - fifths[0]!.share)).toBeLessThan(0.02);
        expect(Math.abs(f.logAmount - fifths[0]!.logAmount)).toBeLessThan(0.05);
      }
    });
  });

  describe('titles', () => {
    it.each(['construction', 'concreting', 'road', 'flood control', 'drugs', 'catering', 'toner'])('lets keyword "%s" find contracts', async (word) => {
      const [g] = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM contracts WHERE award_title ILIKE $1 OR notice_title ILIKE $1`, [`%${word}%`]);
      expect(g!.n).toBeGreaterThan(N / 1000);
    });

    it('uses a word where it belongs: "drugs" titles are Drugs and Medicines awards', async () => {
      const [g] = await rows<{ share: number }>(
        `SELECT avg((b.name = 'Drugs and Medicines')::int)::float8 AS share FROM contracts c JOIN business_categories b ON b.id = c.business_category_id WHERE c.award_title ILIKE '%drugs%'`,
      );
      expect(g!.share).toBeGreaterThan(0.9);
    });
  });

  describe('titles as varied as the real ones (awards-2024q4-sample.csv)', () => {
    const real = realTitles();
    const n = real.award.length; // 144 contracts
    let generated: { award: string[]; notice: string[] };
    beforeAll(async () => {
      const r = await rows<{ a: string; n: string | null }>('SELECT award_title AS a, notice_title AS n FROM contracts ORDER BY id');
      generated = { award: r.map((x) => x.a), notice: r.map((x) => x.n ?? '') };
    });
    const kinds = ['award', 'notice'] as const;

    it.each(kinds)('%s titles: the real share of distinct titles among as many contracts as the sample has', (kind) => {
      const realShare = new Set(real[kind]).size / n; // award: 142 of 144
      const share = distinctShareAt(generated[kind], n);
      expect(Math.abs(share - realShare)).toBeLessThan(band(realShare, n));
    });

    it.each(kinds)('%s titles: lengths distributed like the real ones (two-sample KS test, alpha 0.01)', (kind) => {
      const m = generated[kind].length;
      const critical = 1.63 * Math.sqrt((n + m) / (n * m));
      expect(ksStatistic(real[kind].map((t) => t.length), generated[kind].map((t) => t.length))).toBeLessThan(critical);
    });

    it('award titles: the real word mix (share of titles with each common word, capitals, digits)', () => {
      const features: Record<string, (t: string) => boolean> = {
        'all capitals': (t) => !/[a-z]/.test(t),
        'has a digit': (t) => /\d/.test(t),
      };
      for (const w of ['of', 'and', 'for', 'the', 'procurement', 'supply', 'delivery', 'purchase', 'lot', 'construction', 'barangay']) {
        const re = new RegExp(`\\b${w}\\b`, 'i');
        features[`"${w}"`] = (t) => re.test(t);
      }
      const share = (titles: string[], f: (t: string) => boolean) => titles.filter(f).length / titles.length;
      const off = Object.entries(features)
        .map(([name, f]) => ({ name, real: share(real.award, f), generated: share(generated.award, f) }))
        .filter((x) => Math.abs(x.generated - x.real) >= band(x.real, n));
      expect(off).toEqual([]);
    });

    it('notice titles equal award titles for about the real share of contracts', () => {
      const realEqual = real.award.filter((t, i) => t === real.notice[i]).length / n; // 108 of 144
      const equal = generated.award.filter((t, i) => t === generated.notice[i]).length / generated.award.length;
      expect(Math.abs(equal - realEqual)).toBeLessThan(band(realEqual, n));
    });
  });

  describe('missing values', () => {
    it('leaves about 1% without amount and the real share without area, and budgets mostly cover amounts', async () => {
      const [g] = await rows<{ no_amount: number; no_area: number; budget_ok: number }>(
        `SELECT avg((amount IS NULL)::int)::float8 AS no_amount, avg((area_id IS NULL)::int)::float8 AS no_area,
                avg((approved_budget >= amount)::int) FILTER (WHERE amount IS NOT NULL)::float8 AS budget_ok FROM contracts`,
      );
      const realNoArea = 1 - ref.areas.reduce((s, a) => s + a.count, 0) / ref.categories.reduce((s, c) => s + c.count, 0); // 0.085
      expect(g!.no_amount).toBeGreaterThan(0.005);
      expect(g!.no_amount).toBeLessThan(0.015);
      expect(Math.abs(g!.no_area - realNoArea)).toBeLessThan(0.01);
      expect(g!.budget_ok).toBeGreaterThan(0.95);
    });
  });
});
