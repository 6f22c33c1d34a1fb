// `npm run bench:queries -- [--contracts N] [--seed S] [--runs R] [--reuse]`
//
// Latency of the query engine on generated data, the numbers the issue's targets are about:
// filtered search first page, unfiltered full analytics, analytics table page, filter
// options, and the time to load the data. Each case runs once cold (printed apart), then
// R times; p50/p95 are over those R runs, one call at a time, in this process.
//
// Data: the database BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/kontrata_bench,
// created and migrated if missing), loaded with N contracts by the synthetic generator.
// --reuse skips the load when the database already holds exactly N generated contracts.
import {
  analyticsTable,
  contractAnalytics,
  filterOptions,
  searchContracts,
  type AnalyticsInput,
  type AnalyticsTableInput,
  type FilterOptionsInput,
  type SearchInput,
} from '../src/contracts/index.js';
import { generateContracts } from '../src/data/generate.js';
import { migrate } from '../src/db/migrate.js';
import { describeDatabaseUrl } from '../src/db/pg.js';
import { createPrisma, type Db } from '../src/db/prisma.js';
import { generatedContracts, loadNote, percentile, readArgs } from './support.js';

type Case = { group: string; name: string; target?: number; run: (db: Db) => Promise<unknown> };

const search = (name: string, input: SearchInput, target?: number): Case => ({ group: 'search', name, target, run: (db) => searchContracts(db, input) });
const analytics = (name: string, input: AnalyticsInput, target?: number): Case => ({ group: 'analytics', name, target, run: (db) => contractAnalytics(db, input) });
const table = (name: string, input: AnalyticsTableInput, target?: number): Case => ({ group: 'table', name, target, run: (db) => analyticsTable(db, input) });
const options = (name: string, input: FilterOptionsInput, target?: number): Case => ({ group: 'options', name, target, run: (db) => filterOptions(db, input) });

// Targets (ms, p50) from the issue, at 1M contracts on the reference machine (2 cores).
const SEARCH_TARGET = 50;
const ANALYTICS_TARGET = 1000;
const TABLE_TARGET = 300;
const OPTIONS_TARGET = 20;

/** Representative questions; chips are words of the real names and of the generator's titles. */
const CASES: Case[] = [
  search('contractor chip "construction"', { filters: { contractors: ['construction'] } }, SEARCH_TARGET),
  search('organization "public works" + year 2024', { filters: { organizations: ['public works'], timeRanges: [{ year: 2024 }] } }, SEARCH_TARGET),
  search('keyword "flood control" + area "leyte"', { filters: { keywords: ['flood control'], areas: ['leyte'] } }, SEARCH_TARGET),
  search('category "construction projects" + amount >= 1M', { filters: { businessCategories: ['construction projects'], minAmount: 1_000_000 } }, SEARCH_TARGET),
  search('keyword "concreting && barangay road" + 2023 Q4', { filters: { keywords: ['concreting && barangay road'], timeRanges: [{ year: 2023, quarter: 4 }] } }, SEARCH_TARGET),
  search('keyword "drugs and medicines"', { filters: { keywords: ['drugs and medicines'] } }, SEARCH_TARGET),
  search('year 2024, sorted by amount DESC', { filters: { timeRanges: [{ year: 2024 }] }, sortBy: 'AMOUNT' }, SEARCH_TARGET),
  search('contractor "enterprises", sorted by contractor', { filters: { contractors: ['enterprises'] }, sortBy: 'CONTRACTOR', sortDirection: 'ASC' }, SEARCH_TARGET),
  search('unfiltered (info)', { filters: {} }),
  search('unfiltered page 500 (info)', { filters: {}, page: 500 }),
  analytics('unfiltered', { filters: {} }, ANALYTICS_TARGET),
  analytics('year 2024 (info)', { filters: { timeRanges: [{ year: 2024 }] } }),
  analytics('category "construction" + area "metro manila" (info)', { filters: { businessCategories: ['construction'], areas: ['metro manila'] } }),
  analytics('keyword "catering" (info)', { filters: { keywords: ['catering'] } }),
  table('contractors, unfiltered, page 1', { filters: {}, dimension: 'CONTRACTOR' }, TABLE_TARGET),
  table('organizations, year 2024, by count', { filters: { timeRanges: [{ year: 2024 }] }, dimension: 'ORGANIZATION', sortBy: 'COUNT' }, TABLE_TARGET),
  table('areas, unfiltered', { filters: {}, dimension: 'AREA' }, TABLE_TARGET),
  table('contractors, keyword "catering", page 10', { filters: { keywords: ['catering'] }, dimension: 'CONTRACTOR', page: 10 }, TABLE_TARGET),
  options('contractors, no search', { dimension: 'CONTRACTOR' }, OPTIONS_TARGET),
  options('contractors, "cons"', { dimension: 'CONTRACTOR', search: 'cons' }, OPTIONS_TARGET),
  options('organizations, "city of"', { dimension: 'ORGANIZATION', search: 'city of' }, OPTIONS_TARGET),
  options('areas, "ley"', { dimension: 'AREA', search: 'ley' }, OPTIONS_TARGET),
  options('contractors, "a" (one letter)', { dimension: 'CONTRACTOR', search: 'a' }, OPTIONS_TARGET),
];

type Args = { contracts: number; seed: number; runs: number; reuse: boolean };

/** Loads `contracts` generated contracts unless --reuse finds exactly that many already. */
async function ensureData(url: string, db: Db, args: Args): Promise<void> {
  if (args.reuse && (await generatedContracts(db)) === args.contracts) {
    console.log(`Reusing ${args.contracts.toLocaleString('en-US')} generated contracts (no load).`);
    return;
  }
  console.log(`Loading ${args.contracts.toLocaleString('en-US')} generated contracts (seed ${args.seed})...`);
  const started = performance.now();
  let lastPrint = 0;
  const result = await generateContracts(url, {
    contracts: args.contracts,
    seed: args.seed,
    onProgress: (u) => {
      if (performance.now() - lastPrint < 5000) return;
      lastPrint = performance.now();
      console.log(`  ${((100 * u.done) / u.total).toFixed(0)}% ${u.message}`);
    },
  });
  const wall = performance.now() - started;
  console.log(`Load: ${result.contracts.toLocaleString('en-US')} contracts in ${(result.ms / 1000).toFixed(1)} s (wall ${(wall / 1000).toFixed(1)} s; target <= 60 s at 1M)`);
}

/** Runs every case once cold and `runs` times warm; prints one line per case. */
async function measure(db: Db, runs: number): Promise<void> {
  console.log(`\nBefore: ${loadNote()}`);
  console.log(`${'case'.padEnd(62)} ${'cold'.padStart(8)} ${'p50'.padStart(8)} ${'p95'.padStart(8)}  target`);
  for (const c of CASES) {
    const t0 = performance.now();
    await c.run(db);
    const cold = performance.now() - t0;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      await c.run(db);
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const p50 = percentile(times, 50);
    const verdict = c.target === undefined ? '' : `${c.target} ms ${p50 <= c.target ? 'ok' : `MISSED by ${(p50 - c.target).toFixed(0)} ms`}`;
    const ms = (v: number) => `${v.toFixed(1)}`.padStart(8);
    console.log(`${`${c.group}: ${c.name}`.padEnd(62)} ${ms(cold)} ${ms(p50)} ${ms(percentile(times, 95))}  ${verdict}`);
  }
  console.log(`After: ${loadNote()}`);
}

const args = readArgs({ contracts: { default: 1_000_000, min: 1 }, seed: { default: 1, min: 0 }, runs: { default: 20, min: 1 } }, ['reuse']);
// A bench-only database, never the application's; this entry script is its only reader.
const url = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/kontrata_bench';
console.log(`Database ${describeDatabaseUrl(url)}`);
await migrate(url);
const db = createPrisma(url, { max: 4 });
try {
  await ensureData(url, db, args);
  await measure(db, args.runs);
} finally {
  await db.$disconnect();
}
