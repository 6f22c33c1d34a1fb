// `npm run bench:tasks -- [--contracts N] [--tasks M] [--workers W] [--concurrency C] [--seed S]`
//
// What running a question as a task costs compared with calling the engine directly:
//  1. latency: for each of min(M, 40) questions, one at a time on an idle system, the
//     direct engine call and then submit -> SUCCESS event of the same question as a task;
//     prints p50/p95 of both and of the difference (the async overhead);
//  2. throughput: M other distinct questions submitted at once to W worker processes of
//     C slots each; prints tasks per second, against the same questions run directly,
//     C*W at a time, in this process.
// Data: the database `kontrata_dev_tasks` next to DATABASE_URL, (re)generated with the
// synthetic generator when it does not hold exactly N generated contracts. Each run uses a
// fresh Redis prefix, so nothing is served from an earlier run's cache.
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/db/migrate.js';
import { createPrisma } from '../src/db/prisma.js';
import { generateContracts } from '../src/data/generate.js';
import { createTaskQueue, deletePrefixKeys, type TaskEvent } from '../src/tasks/index.js';
import { killWorker, spawnWorker, type WorkerProcess } from '../test/helpers/worker-process.js';
import { databaseNamed, freshPrefix, generatedContracts, readArgs, runDirect, stats, type Question } from './support.js';

const { contracts: N, tasks: M, workers: W, concurrency: C, seed: SEED } = readArgs({
  contracts: { default: 100_000, min: 1 },
  tasks: { default: 100, min: 1 },
  workers: { default: 2, min: 1 },
  concurrency: { default: 4, min: 1 },
  seed: { default: 1, min: 0 },
});

const config = loadConfig();
const DATABASE = 'kontrata_dev_tasks';
const databaseUrl = databaseNamed(config.databaseUrl, DATABASE);
const prefix = freshPrefix();

/** Distinct questions of all three kinds; `salt` shifts them so two sets never share a cache key. */
function questions(count: number, salt: number): Question[] {
  const words = ['road', 'flood control', 'construction', 'supply', 'school', 'medicine', 'repair', 'laptop', 'rehabilitation', 'equipment'];
  const years = [2016, 2018, 2019, 2020, 2021, 2022, 2023, 2024];
  return Array.from({ length: count }, (_, j) => {
    const i = j + salt;
    // minAmount = i pesos makes every question distinct (a distinct cache key) at no real cost.
    const filters = { keywords: [words[i % words.length]!], timeRanges: [{ year: years[i % years.length]! }], minAmount: i };
    const page = 1 + (i % 5);
    if (i % 3 === 0) return { kind: 'SEARCH', input: { filters, page, pageSize: 20 } };
    if (i % 3 === 1) return { kind: 'ANALYTICS', input: { filters, topN: 10 } };
    return { kind: 'ANALYTICS_TABLE', input: { filters, dimension: 'CONTRACTOR', page, pageSize: 20 } };
  });
}

const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(10);

/** A worker process on the benchmark's database and prefix (the environment passes through, e.g. TASK_TIMEOUT_SECONDS). */
async function startWorkerProcess(): Promise<WorkerProcess> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  const worker = spawnWorker({ ...inherited, REDIS_URL: config.redisUrl, DATABASE_URL: databaseUrl, QUEUE_PREFIX: prefix, WORKER_CONCURRENCY: String(C) });
  await worker.ready;
  return worker;
}

async function main(): Promise<void> {
  await migrate(databaseUrl);
  const db = createPrisma(databaseUrl, { max: W * C + 4 });
  if ((await generatedContracts(db)) !== N) {
    console.log(`Generating ${N} contracts into ${DATABASE} ...`);
    const g = await generateContracts(databaseUrl, { contracts: N, seed: SEED });
    console.log(`  done in ${(g.ms / 1000).toFixed(1)} s`);
  }
  const workers = await Promise.all(Array.from({ length: W }, startWorkerProcess));
  const redis = new Redis(config.redisUrl);
  const sub = new Redis(config.redisUrl);
  const queue = createTaskQueue({ redisUrl: config.redisUrl, prefix, resultTtlSeconds: 600, maxRetries: 0, db });
  // Arrival time of each task's STARTED and final events, taken as they are published.
  const startedAt = new Map<string, number>();
  const ended = new Map<string, (e: TaskEvent) => void>();
  const early = new Map<string, TaskEvent>();
  sub.on('pmessage', (_p: string, _c: string, msg: string) => {
    const e = JSON.parse(msg) as TaskEvent;
    if (e.state === 'STARTED') startedAt.set(e.taskId, performance.now());
    if (e.state !== 'SUCCESS' && e.state !== 'FAILURE') return;
    const waiter = ended.get(e.taskId);
    if (waiter) waiter(e);
    else early.set(e.taskId, e);
  });
  await sub.psubscribe(`${prefix}:task:progress:*`);
  const untilEnd = (taskId: string) =>
    new Promise<TaskEvent>((resolve) => {
      const seen = early.get(taskId);
      if (seen) resolve(seen);
      else ended.set(taskId, resolve);
    });
  /** Runs one question as a task; returns the submit call, the wait until STARTED, and STARTED -> SUCCESS (ms). */
  const submitAndWait = async (q: Question) => {
    const t0 = performance.now();
    const ticket = await queue.submit(q.kind, q.input as never);
    const t1 = performance.now();
    if (ticket.status !== 'QUEUED') throw new Error(`expected a new task, got ${ticket.status}`);
    const e = await untilEnd(ticket.taskId);
    const t3 = performance.now();
    if (e.state !== 'SUCCESS') throw new Error(`task failed: ${e.error}`);
    const t2 = startedAt.get(ticket.taskId) ?? t1;
    return { submit: t1 - t0, wait: t2 - t1, run: t3 - t2, total: t3 - t0 };
  };

  try {
    // Warm-up: first connections, plans and caches, on both paths.
    for (const q of questions(3, 100_000)) {
      await runDirect(db, q);
      await submitAndWait(q);
    }

    const L = Math.min(M, 40);
    const direct: number[] = [];
    const asTask: { submit: number; wait: number; run: number; total: number }[] = [];
    const timeDirect = async (q: Question) => {
      const t = performance.now();
      await runDirect(db, q);
      direct.push(performance.now() - t);
    };
    // Alternate which path runs first, so neither always finds the other's warm buffers.
    for (const [i, q] of questions(L, 0).entries()) {
      if (i % 2 === 0) {
        await timeDirect(q);
        asTask.push(await submitAndWait(q));
      } else {
        asTask.push(await submitAndWait(q));
        await timeDirect(q);
      }
    }
    const overhead = asTask.map((a, i) => a.total - direct[i]!);

    const burst = questions(M, 10_000);
    let t = performance.now();
    await Promise.all(burst.map((q) => submitAndWait(q)));
    const taskSeconds = (performance.now() - t) / 1000;
    const slots = W * C;
    t = performance.now();
    const pending = [...questions(M, 20_000)];
    await Promise.all(
      Array.from({ length: slots }, async () => {
        for (let q = pending.shift(); q; q = pending.shift()) await runDirect(db, q);
      }),
    );
    const directSeconds = (performance.now() - t) / 1000;

    const d = stats(direct);
    const a = stats(asTask.map((x) => x.total));
    const o = stats(overhead);
    const parts = (['submit', 'wait', 'run'] as const).map((k) => [k, stats(asTask.map((x) => x[k]))] as const);
    console.log(`\nKontrata task benchmark: ${N} contracts, ${W} worker process(es) x ${C} slots, prefix ${prefix}`);
    console.log(`\nLatency, one question at a time (${L} questions, mixed kinds):`);
    console.log(`                        p50         p95        mean`);
    console.log(`  direct engine  ${ms(d.p50)}  ${ms(d.p95)}  ${ms(d.mean)}`);
    console.log(`  as a task      ${ms(a.p50)}  ${ms(a.p95)}  ${ms(a.mean)}   submit -> SUCCESS event`);
    console.log(`  overhead       ${ms(o.p50)}  ${ms(o.p95)}  ${ms(o.mean)}   as a task - direct, per question`);
    const label = { submit: 'submit() call', wait: 'queue wait', run: 'in worker' };
    for (const [k, v] of parts) {
      const note = k === 'submit' ? 'validate, data version, ticket, job' : k === 'wait' ? 'ticket -> STARTED event' : 'STARTED -> SUCCESS event';
      console.log(`    ${label[k].padEnd(13)}${ms(v.p50)}  ${ms(v.p95)}  ${ms(v.mean)}   ${note}`);
    }
    console.log(`\nThroughput, ${M} distinct questions at once:`);
    console.log(`  as tasks       ${(M / taskSeconds).toFixed(1).padStart(8)} tasks/s  (${taskSeconds.toFixed(2)} s)`);
    console.log(`  direct, ${String(slots).padStart(2)} at a time ${(M / directSeconds).toFixed(1).padStart(5)} questions/s  (${directSeconds.toFixed(2)} s, in this process)`);
  } finally {
    await Promise.all(workers.map((w) => killWorker(w, 'SIGTERM')));
    await queue.close();
    await deletePrefixKeys(redis, prefix);
    await Promise.all([redis.quit(), sub.quit()]);
    await db.$disconnect();
  }
}

await main();
