// `npm run bench:task-path -- [--contracts 20000] [--clients 32] [--seconds 10] [--samples 200] [--tasks 40] [--apis 1] [--warmup 6000] [--cpu-prof DIR]`
//
// The cost of the task path itself, on a dataset small enough that the engine's time is small:
//  A. cached answer, one client: submit (CACHED) then taskResult, through GraphQL over HTTP
//     against a real API process, and directly through the TaskQueue API in this process;
//  B. cached submits from --clients concurrent clients for --seconds: submits per second,
//     through GraphQL (spread over --apis API processes) and through the TaskQueue API;
//  C. async overhead: for --tasks distinct questions, one at a time, the round trip a client
//     sees (submit over HTTP -> SUCCESS over graphql-ws -> taskResult over HTTP) minus the
//     engine's own time for the same question (the direct call, before and after, averaged).
// Every figure is of warm processes, as a deployed API serving traffic is: before A, the
// API answers --warmup cached pairs (submit + taskResult) unmeasured, and before C, the
// API and the worker run --warmup / 20 new questions as tasks. V8 optimises a request path
// only after it has run many times; until then it takes about twice as long (cached pair,
// one client, on the 2-core VM: p50 6.5 ms right after start, 3.3 ms after 2,000 pairs,
// 2.6 ms after 6,000).
// The API and worker run as their own processes (`npm run start:api`, `npm run worker`,
// NODE_ENV=production, LOG_LEVEL=info as deployed). The load average is printed with
// every figure: this machine is shared, and it moves the numbers.
// Data: the database `kontrata_dev_taskpath` next to DATABASE_URL, (re)generated when it
// does not hold exactly N generated contracts; a fresh Redis prefix per run.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { loadConfig } from '../src/config.js';
import { generateContracts } from '../src/data/generate.js';
import { migrate } from '../src/db/migrate.js';
import { createPrisma } from '../src/db/prisma.js';
import { createTaskQueue, deletePrefixKeys, type TaskEvent, type TaskKind } from '../src/tasks/index.js';
import { freePort } from '../test/helpers/outage.js';
import { databaseNamed, freshPrefix, generatedContracts, loadAverage, readArgs, runDirect, stats, untilTaskSucceeds, type Question } from './support.js';

const { contracts: N, clients: CLIENTS, seconds: SECONDS, samples: SAMPLES, tasks: TASKS, apis: APIS, seed: SEED, warmup: WARMUP, 'cpu-prof': CPU_PROF } = readArgs({
  contracts: { default: 20_000, min: 1 },
  clients: { default: 32, min: 1 },
  seconds: { default: 10, min: 1 },
  samples: { default: 200, min: 1 },
  tasks: { default: 40, min: 1 },
  apis: { default: 1, min: 1 },
  seed: { default: 1, min: 0 },
  warmup: { default: 6000, min: 0 },
}, [], ['cpu-prof']);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const config = loadConfig();
const DATABASE = 'kontrata_dev_taskpath';
const databaseUrl = databaseNamed(config.databaseUrl, DATABASE);
const prefix = freshPrefix();

// ---- questions -------------------------------------------------------------------------

/** Distinct questions of all three kinds; `salt` shifts them so two sets never share a cache key. */
function questions(count: number, salt: number): Question[] {
  const orgs = ['education', 'public works', 'health', 'city of', 'province of', 'university'];
  const years = [2016, 2018, 2019, 2020, 2021, 2022, 2023, 2024];
  return Array.from({ length: count }, (_, j) => {
    const i = j + salt;
    // minAmount = i pesos makes every question distinct (a distinct cache key) at no real cost.
    const filters = { organizations: [orgs[i % orgs.length]!], timeRanges: [{ year: years[i % years.length]! }], minAmount: i };
    if (i % 3 === 0) return { kind: 'SEARCH', input: { filters, page: 1, pageSize: 20 } };
    if (i % 3 === 1) return { kind: 'ANALYTICS', input: { filters, topN: 10 } };
    return { kind: 'ANALYTICS_TABLE', input: { filters, dimension: 'CONTRACTOR', page: 1, pageSize: 20 } };
  });
}

const TICKET = 'status taskId cacheKey message task { id state progress }';
const SUBMIT: Record<TaskKind, string> = {
  SEARCH: `mutation($input: SearchInput!) { t: submitSearch(input: $input) { ${TICKET} } }`,
  ANALYTICS: `mutation($input: AnalyticsInput!) { t: submitAnalytics(input: $input) { ${TICKET} } }`,
  ANALYTICS_TABLE: `mutation($input: AnalyticsTableInput!) { t: submitAnalyticsTable(input: $input) { ${TICKET} } }`,
  EXPORT: `mutation($input: ExportInput!) { t: submitExport(input: $input) { ${TICKET} } }`,
};
// What a dashboard reads: every field of the result.
const RESULT = /* GraphQL */ `query($cacheKey: String!) { taskResult(cacheKey: $cacheKey) { status message data { __typename
  ... on SearchResult { contracts { id referenceId awardTitle noticeTitle contractor organization area businessCategory procurementMode amount approvedBudget awardDate }
                        pagination { page pageSize totalCount totalPages hasNext hasPrevious } }
  ... on AnalyticsResult { summary { count totalValue avgValue firstAwardDate lastAwardDate } byYear { period count totalValue } byMonth { period count totalValue }
                           byContractor { label count totalValue avgValue } byOrganization { label count totalValue avgValue }
                           byArea { label count totalValue avgValue } byCategory { label count totalValue avgValue } }
  ... on AnalyticsTableResult { dimension rows { label count totalValue avgValue } pagination { page pageSize totalCount totalPages hasNext hasPrevious } } } } }`;

// ---- plumbing --------------------------------------------------------------------------

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS + 4 });

/** POSTs one GraphQL operation on a kept-alive connection; throws on any GraphQL error. */
function post<T>(url: URL, query: string, variables: Record<string, unknown>): Promise<T> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const json = JSON.parse(Buffer.concat(chunks).toString()) as { data?: T; errors?: unknown[] };
            if (json.errors?.length || !json.data) reject(new Error(`GraphQL errors: ${JSON.stringify(json.errors)}`));
            else resolve(json.data);
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

type Ticket = { status: string; taskId: string; cacheKey: string };
const submitGql = (url: URL, q: Question) => post<{ t: Ticket }>(url, SUBMIT[q.kind], { input: q.input }).then((d) => d.t);
const resultGql = (url: URL, cacheKey: string) =>
  post<{ taskResult: { status: string } }>(url, RESULT, { cacheKey }).then((d) => d.taskResult);

/** Follows a task over graphql-ws; resolves at its SUCCESS event (rejects on FAILURE). */

const deploymentEnv = (extra: Record<string, string>) => ({
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  DATABASE_URL: databaseUrl,
  QUEUE_PREFIX: prefix,
  SUBMIT_RATE_LIMIT: '0',
  // The per-client operation limit stays on (its Redis round trip is part of every
  // operation's cost), set so high that the benchmark's one client address never reaches it.
  QUERY_RATE_LIMIT: '1000000000',
  WORKER_METRICS_PORT: '0',
  ...extra,
});

/** Spawns `entry` (src/index.ts or worker/index.ts); resolves once `ready()` says so. */
async function spawnProcess(entry: string, env: Record<string, string>, ready: () => Promise<boolean>): Promise<ChildProcess> {
  // --cpu-prof DIR: V8 CPU profiles (.cpuprofile, for Chrome DevTools or speedscope) of the
  // API and worker processes, written when they exit.
  const profile = CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', entry], { cwd: ROOT, env: deploymentEnv(env), stdio: ['ignore', 'ignore', 'inherit'] });
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`${entry} exited before it was ready`);
    if (await ready().catch(() => false)) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** CPU time (user + system, ms) a child process has used so far, from /proc (Linux). */
function cpuMsOf(child: ChildProcess): number {
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks (100 Hz).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
const selfCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** CPU milliseconds that `fn` costs the given processes (and this one), per `count` operations. */
async function cpuPer<T>(procs: Record<string, ChildProcess>, count: () => number, fn: () => Promise<T>): Promise<{ value: T; cpu: string }> {
  const before = Object.fromEntries(Object.entries(procs).map(([k, p]) => [k, cpuMsOf(p)]));
  const self = selfCpuMs();
  const value = await fn();
  const n = Math.max(1, count());
  const parts = Object.entries(procs).map(([k, p]) => `${k} ${((cpuMsOf(p) - before[k]!) / n).toFixed(2)}`);
  parts.push(`bench ${((selfCpuMs() - self) / n).toFixed(2)}`);
  return { value, cpu: `CPU ms per operation: ${parts.join(', ')}` };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const ms = (x: number) => `${x.toFixed(2)} ms`.padStart(10);
const load = () => `load ${loadAverage(1)}`;
const row = (label: string, xs: number[], note = '') => {
  const s = stats(xs);
  console.log(`  ${label.padEnd(34)}${ms(s.p50)}  ${ms(s.p95)}  ${ms(s.mean)}   ${note}`);
};
const header = () => console.log(`  ${''.padEnd(34)}       p50         p95        mean`);

/** Runs `clients` loops of `call` for `seconds`; returns calls per second and their latencies. */
async function saturate(clients: number, seconds: number, call: (client: number, i: number) => Promise<void>) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; performance.now() < end; i++) {
        const t = performance.now();
        await call(c, i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { perSecond: latencies.length / ((performance.now() - t0) / 1000), latencies };
}

// ---- the benchmark ---------------------------------------------------------------------

async function main(): Promise<void> {
  await migrate(databaseUrl);
  const db = createPrisma(databaseUrl, { max: 6 });
  if ((await generatedContracts(db)) !== N) {
    console.log(`Generating ${N} contracts into ${DATABASE} ...`);
    await generateContracts(databaseUrl, { contracts: N, seed: SEED });
  }

  const children: ChildProcess[] = [];
  const redis = new Redis(config.redisUrl);
  const queue = createTaskQueue({ redisUrl: config.redisUrl, prefix, resultTtlSeconds: 3600, maxRetries: 0, maxQueueDepth: 10_000, db });
  const ws: Client[] = [];
  try {
    const urls: URL[] = [];
    for (let i = 0; i < APIS; i++) {
      const port = await freePort();
      const url = new URL(`http://127.0.0.1:${port}/graphql`);
      children.push(await spawnProcess('src/index.ts', { HOST: '127.0.0.1', PORT: String(port) }, async () => (await fetch(new URL('/ready', url))).ok));
      urls.push(url);
    }
    const url = urls[0]!;
    const workerReady = async () => (await redis.zcard(`${prefix}:workers`)) > 0;
    children.push(await spawnProcess('worker/index.ts', { WORKER_CONCURRENCY: '4' }, workerReady));
    const client = createClient({ url: url.toString().replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    ws.push(client);

    console.log(`\nKontrata task-path benchmark: ${N} contracts, ${APIS} API process(es), 1 worker process x 4 slots, prefix ${prefix}`);
    console.log(`node ${process.version}, ${os.cpus().length} cores, ${load()}`);

    // Warm-up: connections, plans and the result cache of the questions of A and B.
    const cached = questions(12, 50_000);
    for (const q of [...questions(3, 90_000), ...cached]) {
      await runDirect(db, q);
      const t = await submitGql(url, q);
      if (t.status !== 'CACHED') await untilTaskSucceeds(client, t.taskId);
      await resultGql(url, t.cacheKey);
      await queue.submit(q.kind, q.input as never);
    }

    // Warm-up of the request path itself (see the top of this file): cached pairs on every API.
    for (let i = 0; i < WARMUP; i++) {
      const q = cached[i % cached.length]!;
      const u = urls[i % urls.length]!;
      await resultGql(u, (await submitGql(u, q)).cacheKey);
    }

    const api = children[0]!;
    const worker = children[children.length - 1]!;

    // A. One client, cached answers.
    console.log(`\nA. Cached answer, one client (${SAMPLES} samples, ${cached.length} questions of the three kinds; ${load()})`);
    const gql = { submit: [] as number[], result: [] as number[], both: [] as number[] };
    const a1 = await cpuPer({ api }, () => SAMPLES, async () => {
      for (let i = 0; i < SAMPLES; i++) {
        const q = cached[i % cached.length]!;
        const t = performance.now();
        const ticket = await submitGql(url, q);
        const t1 = performance.now();
        const result = await resultGql(url, ticket.cacheKey);
        const t2 = performance.now();
        if (ticket.status !== 'CACHED' || result.status !== 'READY') throw new Error(`expected CACHED + READY, got ${ticket.status} + ${result.status}`);
        gql.submit.push(t1 - t);
        gql.result.push(t2 - t1);
        gql.both.push(t2 - t);
      }
    });
    const direct = { submit: [] as number[], both: [] as number[] };
    const a2 = await cpuPer({}, () => SAMPLES, async () => {
      for (let i = 0; i < SAMPLES; i++) {
        const q = cached[i % cached.length]!;
        const t = performance.now();
        const ticket = await queue.submit(q.kind, q.input as never);
        const t1 = performance.now();
        const lookup = await queue.getResult(ticket.cacheKey);
        if (ticket.status !== 'CACHED' || lookup.status !== 'READY') throw new Error('expected CACHED + READY from the TaskQueue');
        direct.submit.push(t1 - t);
        direct.both.push(performance.now() - t);
      }
    });
    header();
    row('GraphQL: submit (CACHED)', gql.submit);
    row('GraphQL: taskResult (READY)', gql.result);
    row('GraphQL: submit + taskResult', gql.both, `target <= 3 ms; ${a1.cpu}`);
    row('TaskQueue: submit (CACHED)', direct.submit);
    row('TaskQueue: submit + getResult', direct.both, a2.cpu);
    console.log(`  (${load()})`);

    // B. Concurrent clients, cached submits.
    console.log(`\nB. Cached submits, ${CLIENTS} concurrent clients for ${SECONDS} s (${load()})`);
    const apis = Object.fromEntries(children.slice(0, APIS).map((c, i) => [`api${APIS > 1 ? i + 1 : ''}`, c]));
    let submits = 0;
    const b1 = await cpuPer(apis, () => submits, () =>
      saturate(CLIENTS, SECONDS, async (c, i) => {
        const t = await submitGql(urls[c % urls.length]!, cached[(c + i) % cached.length]!);
        if (t.status !== 'CACHED') throw new Error(`expected CACHED, got ${t.status}`);
        submits++;
      }),
    );
    const afterGql = load();
    submits = 0;
    const b2 = await cpuPer({}, () => submits, () =>
      saturate(CLIENTS, SECONDS, async (c, i) => {
        const q = cached[(c + i) % cached.length]!;
        if ((await queue.submit(q.kind, q.input as never)).status !== 'CACHED') throw new Error('expected CACHED');
        submits++;
      }),
    );
    header();
    row(`GraphQL (${APIS} API process${APIS > 1 ? 'es' : ''})`, b1.value.latencies, `${b1.value.perSecond.toFixed(0)} submits/s (target >= 2,000; ${afterGql}); ${b1.cpu}`);
    row('TaskQueue, in this process', b2.value.latencies, `${b2.value.perSecond.toFixed(0)} submits/s (${load()}); ${b2.cpu}`);

    // C. Async overhead: what a client waits beyond the engine's own time.
    console.log(`\nC. Async overhead, ${TASKS} new questions one at a time (${load()})`);
    const sub = new Redis(config.redisUrl);
    const startedAt = new Map<string, number>();
    const succeededAt = new Map<string, number>();
    sub.on('pmessage', (_p: string, _c: string, msg: string) => {
      const e = JSON.parse(msg) as TaskEvent;
      if (e.state === 'STARTED') startedAt.set(e.taskId, performance.now());
      if (e.state === 'SUCCESS') succeededAt.set(e.taskId, performance.now());
    });
    await sub.psubscribe(`${prefix}:task:progress:*`);
    const parts = { engine: [] as number[], total: [] as number[], overhead: [] as number[], submit: [] as number[], pickup: [] as number[], run: [] as number[], worker: [] as number[], relay: [] as number[], result: [] as number[] };
    /** One question as a task, between two direct engine calls of it (their mean is the engine's own time). */
    const timeTask = async (q: Question) => {
      let t = performance.now();
      await runDirect(db, q);
      const before = performance.now() - t;
      t = performance.now();
      const ticket = await submitGql(url, q);
      const t1 = performance.now();
      if (ticket.status !== 'QUEUED') throw new Error(`expected QUEUED, got ${ticket.status}`);
      await untilTaskSucceeds(client, ticket.taskId);
      const t2 = performance.now();
      const result = await resultGql(url, ticket.cacheKey);
      const t3 = performance.now();
      if (result.status !== 'READY') throw new Error(`expected READY, got ${result.status}`);
      const d = performance.now();
      await runDirect(db, q);
      const engine = (before + performance.now() - d) / 2;
      const started = startedAt.get(ticket.taskId) ?? t1;
      const succeeded = succeededAt.get(ticket.taskId) ?? t2;
      parts.engine.push(engine);
      parts.total.push(t3 - t);
      parts.overhead.push(t3 - t - engine);
      parts.submit.push(t1 - t);
      parts.pickup.push(started - t);
      parts.run.push(succeeded - started);
      parts.worker.push(succeeded - started - engine);
      parts.relay.push(t2 - succeeded);
      parts.result.push(t3 - t2);
    };
    // Warm-up of the task path: new questions as tasks, unmeasured.
    for (const q of questions(Math.ceil(WARMUP / 20), 100_000)) {
      const ticket = await submitGql(url, q);
      if (ticket.status !== 'CACHED') await untilTaskSucceeds(client, ticket.taskId);
      await resultGql(url, ticket.cacheKey);
    }
    const c1 = await cpuPer({ api, worker }, () => TASKS, async () => {
      for (const q of questions(TASKS, 0)) await timeTask(q);
    });
    await sub.quit();
    header();
    row('engine alone (direct call)', parts.engine);
    row('task round trip', parts.total, 'submit -> SUCCESS over graphql-ws -> taskResult');
    row('overhead (round trip - engine)', parts.overhead, `target <= 10 ms; ${c1.cpu} (engines included)`);
    row('  submit mutation (QUEUED)', parts.submit, 'HTTP: validate, version, ticket, job');
    row('  submit -> STARTED', parts.pickup, 'submit and worker pickup (Redis event)');
    row('  STARTED -> SUCCESS', parts.run, 'engine + progress + result (Redis events)');
    row('    of which beyond the engine', parts.worker, 'STARTED -> SUCCESS - engine alone');
    row('  SUCCESS -> client', parts.relay, 'API relay over graphql-ws');
    row('  taskResult (READY)', parts.result, 'HTTP');
    console.log(`  (${load()})`);
  } finally {
    await Promise.allSettled(ws.map((c) => c.dispose()));
    for (const c of children) await stopProcess(c);
    agent.destroy();
    await queue.close();
    await deletePrefixKeys(redis, prefix);
    await redis.quit();
    await db.$disconnect();
  }
}

await main();
