// `npm run bench:peer -- [--contracts N] [--seed S] [--runs R] [--reuse] [--no-graphql] [--only REGEX]`
//
// Kontrata side by side with the engine of the system it replaces: DuckDB over one
// denormalised table of the SAME contracts (copied out of PostgreSQL after the load),
// DuckDB given 2 threads, questions written the way that system writes them (plain SQL,
// ILIKE). Each question runs once cold, then R times, interleaved (DuckDB, Kontrata's
// engine, Kontrata through GraphQL synchronously and as a task), one call at a time; p50 is
// over the R warm runs. The answers' counts (and totals) are compared: a mismatch is marked.
//
// Data: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/kontrata_bench,
// created and migrated if missing), loaded with N generated contracts; --reuse skips the
// load when it already holds exactly N generated contracts. GraphQL needs Redis (REDIS_URL).
// --only REGEX runs just the questions whose name matches (case-insensitive).
import { analyticsTable, contractAnalytics, searchContracts, type AnalyticsResult, type AnalyticsTableResult, type SearchResult } from '../src/contracts/index.js';
import { generateContracts } from '../src/data/generate.js';
import { migrate } from '../src/db/migrate.js';
import { describeDatabaseUrl } from '../src/db/pg.js';
import { createPrisma, type Db } from '../src/db/prisma.js';
import { loadMonthCells, monthCellsState } from '../src/contracts/month-cells.js';
import { duckAnalytics, duckSearch, duckTable, loadDuckDb, type Check } from './peer-duckdb.js';
import { startGraphQLPeer, type GraphQLPeer, type Kind } from './peer-graphql.js';
import { QUESTIONS, type Question } from './peer-questions.js';
import { generatedContracts, loadNote, readArgs } from './support.js';

type Args = { contracts: number; seed: number; runs: number; reuse: boolean };

async function ensureData(url: string, db: Db, args: Args): Promise<void> {
  if (args.reuse && (await generatedContracts(db)) === args.contracts) {
    console.log(`Reusing ${args.contracts.toLocaleString('en-US')} generated contracts (no load).`);
    return;
  }
  console.log(`Loading ${args.contracts.toLocaleString('en-US')} generated contracts (seed ${args.seed}), ${loadNote()} ...`);
  const result = await generateContracts(url, { contracts: args.contracts, seed: args.seed });
  console.log(`db:seed: ${result.contracts.toLocaleString('en-US')} contracts in ${(result.ms / 1000).toFixed(1)} s (${loadNote()})`);
}

/** Kontrata's engine, called directly; returns the check values of its answer. */
async function kontrata(db: Db, q: Question): Promise<Check> {
  switch (q.kind) {
    case 'SEARCH': {
      const r: SearchResult = await searchContracts(db, q.input);
      return { count: r.pagination.totalCount };
    }
    case 'ANALYTICS': {
      const r: AnalyticsResult = await contractAnalytics(db, q.input);
      return { count: r.summary.count, total: Math.round(r.summary.totalValue) };
    }
    case 'ANALYTICS_TABLE': {
      const r: AnalyticsTableResult = await analyticsTable(db, q.input);
      return { count: r.pagination.totalCount };
    }
  }
}

type Timed = { cold: number; times: number[] };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
async function clock<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

const args = readArgs({ contracts: { default: 1_000_000, min: 1 }, seed: { default: 1, min: 0 }, runs: { default: 3, min: 1 } }, ['reuse', 'no-graphql'], ['only']);
const only = args.only === undefined ? null : new RegExp(args.only, 'i');
const url = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/kontrata_bench';
console.log(`Database ${describeDatabaseUrl(url)}`);
await migrate(url);
const db = createPrisma(url, { max: 10 }); // also the API's engine pool (startGraphQLPeer), sized as the API sizes it
let peer: GraphQLPeer | undefined;
try {
  await ensureData(url, db, args);
  // As the API and the workers do at start (MONTH_CELLS): the month rollup cells and the contract columns in memory.
  const cellsStarted = Date.now();
  const heapBefore = process.memoryUsage().arrayBuffers;
  await loadMonthCells(db);
  const cells = monthCellsState(db);
  const arrays = (process.memoryUsage().arrayBuffers - heapBefore) / 2 ** 20;
  console.log(
    `Month cells: ${cells.cells.toLocaleString('en-US')}, contract columns: ${cells.columns.toLocaleString('en-US')}, loaded in ${((Date.now() - cellsStarted) / 1000).toFixed(1)} s (${arrays.toFixed(0)} MB of arrays)`,
  );
  console.log(`Copying the contracts into DuckDB (in memory, 2 threads) ...`);
  const duck = await loadDuckDb(url, 2);
  console.log(`DuckDB: ${duck.rows.toLocaleString('en-US')} rows loaded in ${(duck.ms / 1000).toFixed(1)} s`);
  if (!args['no-graphql']) peer = await startGraphQLPeer(url, process.env.REDIS_URL || 'redis://127.0.0.1:6379', db);
  console.log(`\nBefore: ${loadNote()}; p50 of ${args.runs} warm runs after 1 cold run, interleaved; ms`);
  const cols = ['DuckDB cold', 'DuckDB p50', 'K cold', 'K p50', 'K/DuckDB', ...(peer ? ['GQL sync', 'task'] : []), 'target'];
  console.log(`| question | ${cols.join(' | ')} |\n|---|${cols.map(() => '---:').join('|')}|`);
  for (const q of QUESTIONS.filter((q) => !only || only.test(q.name))) {
    const d: Timed = { cold: 0, times: [] };
    const k: Timed = { cold: 0, times: [] };
    const g: number[] = [];
    const t: number[] = [];
    let dCheck: Check | undefined;
    let kCheck: Check | undefined;
    for (let run = 0; run <= args.runs; run++) {
      // Alternate who goes first, so neither always finds the caches the other warmed.
      const order = run % 2 === 0 ? ['duck', 'kontrata'] : ['kontrata', 'duck'];
      for (const who of order) {
        if (who === 'duck') {
          const [ms, check] = await clock(() => (q.kind === 'SEARCH' ? duckSearch(duck.connection, q.input) : q.kind === 'ANALYTICS' ? duckAnalytics(duck.connection, q.input) : duckTable(duck.connection, q.input)));
          dCheck = check;
          if (run === 0) d.cold = ms; else d.times.push(ms);
        } else {
          const [ms, check] = await clock(() => kontrata(db, q));
          kCheck = check;
          if (run === 0) k.cold = ms; else k.times.push(ms);
        }
      }
      if (peer && run > 0) {
        g.push((await clock(() => peer!.sync(q.kind as Kind, q.input)))[0]);
        t.push((await peer.task(q.kind as Kind, q.input)) as number);
      }
    }
    const agree = dCheck!.count === kCheck!.count && (dCheck!.total === undefined || Math.abs(dCheck!.total - kCheck!.total!) <= 1);
    const f = (v: number) => v.toFixed(v < 10 ? 1 : 0);
    const dp = median(d.times);
    const kp = median(k.times);
    const cells = [f(d.cold), f(dp), f(k.cold), f(kp), `${(kp / dp).toFixed(2)}`, ...(peer ? [f(median(g)), f(median(t))] : []), q.target ? `${q.target}${kp <= q.target ? ' ok' : ' MISSED'}` : ''];
    console.log(`| ${q.name}${agree ? '' : ` (ANSWERS DIFFER: DuckDB ${JSON.stringify(dCheck)} Kontrata ${JSON.stringify(kCheck)})`} | ${cells.join(' | ')} |`);
  }
  console.log(`After: ${loadNote()}`);
  duck.close();
} finally {
  await peer?.stop();
  await db.$disconnect();
}
