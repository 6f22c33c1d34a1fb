// `npm run bench:abuse -- [--seconds 30] [--samples 40] [--port 4939]`
//
// The abuse battery of issue 9 against a real, compiled API process (`npm run build` first)
// on BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/kontrata_i9_bench,
// which must already hold the contracts: `npm run db:seed -- --contracts N`).
//
// 1. Baseline: p50/p99 of a normal filterOptions and a normal filtered searchContracts,
//    asked one after another by one client.
// 2. Attack: for --seconds, attackers (rotating over 50 client addresses, as a small botnet
//    would, so the per-client limits do not simply stop them) fire every item of the battery
//    in loops, while the same client as in 1 measures the same two questions again. Each
//    battery answer's code and time are recorded; the API's RSS is sampled.
// Extra API settings pass through from the environment (e.g. SYNC_TIMEOUT_MS=1000).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { deletePrefixKeys } from '../src/tasks/keys.js';
import { loadAverage } from './support.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    samples: { type: 'string', default: '40' },
    port: { type: 'string', default: '4939' },
    // Internal: run as the attacker process (the victim is measured in another process).
    attack: { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const SAMPLES = Number(values.samples);
const PORT = Number(values.port);
const DATABASE_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/kontrata_i9_bench';
const URL_ = `http://127.0.0.1:${PORT}/graphql`;
const VICTIM = { 'x-forwarded-for': '198.51.100.1' };
let botIndex = 0;
const bot = () => ({ 'x-forwarded-for': `203.0.113.${(botIndex++ % 50) + 1}` });

type Answer = { status: number; code: string; ms: number };

async function post(body: unknown, headers: Record<string, string>, contentType = 'application/json'): Promise<Answer> {
  const t = performance.now();
  try {
    const res = await fetch(URL_, {
      method: 'POST',
      headers: { 'content-type': contentType, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const json = (await res.json().catch(() => ({}))) as { errors?: { extensions?: { code?: string } }[] };
    return { status: res.status, code: json.errors?.[0]?.extensions?.code ?? (json.errors ? 'ERROR' : 'OK'), ms: performance.now() - t };
  } catch (err) {
    return { status: 0, code: `FAILED ${(err as Error).name}`, ms: performance.now() - t };
  }
}

const FILTER_OPTIONS = { query: '{ filterOptions(dimension: CONTRACTOR, search: "construction", limit: 10) { label count } }' };
const NORMAL_SEARCH = {
  query: 'query($i: SearchInput!) { searchContracts(input: $i) { contracts { referenceId amount } pagination { totalCount } } }',
  variables: { i: { filters: { organizations: ['public works'], timeRanges: [{ year: 2024 }] }, pageSize: 20 } },
};

const name = 'N'.repeat(1500);
let inner = 'name';
for (let i = 0; i < 48; i++) inner = `ofType { ${inner} }`;
// Bodies are built once: the attacker's own CPU must not be what is measured.
const BODIES = {
  aliases: JSON.stringify({ query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: contractAnalytics(input: { filters: { keywords: ["a"] } }) { summary { count } }`).join(' ')} }` }),
  depth: JSON.stringify({ query: `{ __schema { types { fields { type { ${inner} } } } } }` }),
  huge: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(5 * 1024 * 1024)}` }),
  ranges: JSON.stringify({ query: NORMAL_SEARCH.query, variables: { i: { filters: { timeRanges: Array.from({ length: 10_000 }, (_, i) => ({ year: 2000 + (i % 25) })) } } } }),
  enums: JSON.stringify({ operationName: 'q0', query: Array.from({ length: 150 }, (_, i) => `query q${i} { filterOptions(dimension: BAD_${i}, search: "${name}") { label } }`).join('\n') }),
  chip: JSON.stringify({ query: NORMAL_SEARCH.query, variables: { i: { filters: { keywords: [Array.from({ length: 66 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('&&')] } } } }),
  letter: JSON.stringify({ query: NORMAL_SEARCH.query, variables: { i: { filters: { keywords: ['a'] } } } }),
  form: new URLSearchParams({ query: 'mutation { submitSearch(input: { filters: {} }) { taskId } }' }).toString(),
};
const BATTERY: Record<string, () => Promise<Answer>> = {
  '1,000 aliases': () => post(BODIES.aliases, bot()),
  'depth-50 introspection': () => post(BODIES.depth, bot()),
  '5 MB document': () => post(BODIES.huge, bot()),
  '10,000 time ranges': () => post(BODIES.ranges, bot()),
  '150 bad enum literals (230 KB)': () => post(BODIES.enums, bot()),
  '66-part chip': () => post(BODIES.chip, bot()),
  '1-letter keyword search': () => post(BODIES.letter, bot()),
  'form-encoded cross-site POST': () => post(BODIES.form, { ...bot(), origin: 'https://evil.example' }, 'application/x-www-form-urlencoded'),
  '500 WebSockets, one client': async () => {
    const headers = bot();
    const t = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: 500 }, () => new Promise<{ status: number; socket?: WebSocket }>((resolve) => {
        const s = new WebSocket(URL_.replace('http', 'ws'), 'graphql-transport-ws', { headers });
        s.once('open', () => resolve({ status: 101, socket: s }));
        s.once('unexpected-response', (_q, r) => resolve({ status: r.statusCode ?? 0 }));
        s.once('error', () => resolve({ status: 0 }));
      })),
    );
    const ms = performance.now() - t;
    for (const s of statuses) s.socket?.terminate();
    const refused = statuses.filter((s) => s.status === 429).length;
    return { status: 429, code: `${refused} x 429`, ms };
  },
};

async function subscriptionsOnOneSocket(taskId: string): Promise<Answer> {
  const t = performance.now();
  const socket = new WebSocket(URL_.replace('http', 'ws'), 'graphql-transport-ws', { headers: bot() });
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await new Promise((resolve) => socket.once('message', resolve));
  let refused = 0;
  const done = new Promise<void>((resolve) => {
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string; payload?: { extensions?: { code?: string } }[] };
      if (msg.type === 'error' && msg.payload?.[0]?.extensions?.code === 'TOO_MANY_CONNECTIONS' && ++refused === 80) resolve();
    });
  });
  for (let i = 0; i < 100; i++) {
    socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: 'subscription($id: ID!) { taskProgress(taskId: $id) { state } }', variables: { id: taskId } } }));
  }
  await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
  socket.terminate();
  return { status: 0, code: `${refused} x TOO_MANY_CONNECTIONS`, ms: performance.now() - t };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
const fmt = (n: number) => (Number.isFinite(n) ? `${n.toFixed(0)} ms` : '-');

async function measureVictim(until: () => boolean, minSamples: number): Promise<{ options: number[]; search: number[]; errors: string[] }> {
  const out = { options: [] as number[], search: [] as number[], errors: [] as string[] };
  while (out.options.length < minSamples || !until()) {
    const a = await post(FILTER_OPTIONS, VICTIM);
    const b = await post(NORMAL_SEARCH, VICTIM);
    out.options.push(a.ms);
    out.search.push(b.ms);
    for (const x of [a, b]) if (x.code !== 'OK') out.errors.push(x.code);
    if (out.options.length >= minSamples && until()) break;
    // A person's pace (and within the victim's own QUERY_RATE_LIMIT of 600 a minute).
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return out;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The attacker process: every battery item in loops for SECONDS; prints its answers as JSON. */
async function attack(taskId: string): Promise<void> {
  const results: Record<string, Answer[]> = {};
  const end = Date.now() + SECONDS * 1000;
  const loops: Promise<void>[] = [];
  const loop = (label: string, fn: () => Promise<Answer>, parallel: number) => {
    for (let p = 0; p < parallel; p++) {
      loops.push((async () => {
        while (Date.now() < end) (results[label] ??= []).push(await fn());
      })());
    }
  };
  for (const [label, fn] of Object.entries(BATTERY)) loop(label, fn, label === '1-letter keyword search' ? 8 : 1);
  loop('100 subscriptions, one socket', () => subscriptionsOnOneSocket(taskId), 1);
  await Promise.all(loops);
  process.stdout.write(JSON.stringify(results));
}

const METRICS_PORT = PORT + 1;
/** The API's worst event-loop delay since the previous scrape (prom-client resets it on collect). */
async function eventLoopLagMaxMs(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${METRICS_PORT}/metrics`)).text();
  const m = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text);
  return m ? Number(m[1]) * 1000 : NaN;
}

async function main(): Promise<void> {
  const api = spawn(process.execPath, ['dist/src/index.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL,
      PORT: String(PORT),
      METRICS_PORT: String(METRICS_PORT),
      TRUST_PROXY: '1',
      QUEUE_PREFIX: 'kontrata-bench-abuse',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      api.stdout!.on('data', (c: Buffer) => String(c).includes('ready') && resolve());
      api.once('exit', (code) => reject(new Error(`API exited with ${code} (did you run npm run build?)`)));
    });
    const load0 = loadAverage();
    const rssIdle = rssMb(api.pid!);
    // Warm-up; each battery item alone (no other load from us): how long one hostile request takes to refuse.
    await measureVictim(() => true, 5);
    const alone: [string, Answer][] = [];
    for (const [label, fn] of Object.entries(BATTERY)) alone.push([label, await fn()]);
    await eventLoopLagMaxMs();
    const baseline = await measureVictim(() => true, SAMPLES);
    const lagBaseline = await eventLoopLagMaxMs();

    const ticket = (await (await fetch(URL_, { method: 'POST', headers: { 'content-type': 'application/json', ...bot() }, body: JSON.stringify({ query: 'mutation { submitSearch(input: { filters: { keywords: ["bench abuse"] } }) { taskId } }' }) })).json()) as { data: { submitSearch: { taskId: string } } };
    const attacker = spawn(process.execPath, ['--import', 'tsx', 'bench/abuse.ts', '--attack', ticket.data.submitSearch.taskId, '--seconds', String(SECONDS), '--port', String(PORT)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    attacker.stdout!.on('data', (c: Buffer) => (output += String(c)));
    const attackerDone = new Promise<void>((resolve) => attacker.once('exit', () => resolve()));
    let attacking = true;
    void attackerDone.then(() => (attacking = false));
    let rssMax = 0;
    const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, rssMb(api.pid!))), 500);
    // The attacker needs a moment to start (tsx); measure while it runs.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const underAttack = await measureVictim(() => !attacking, SAMPLES);
    await attackerDone;
    clearInterval(rssTimer);
    const lagAttack = await eventLoopLagMaxMs();
    const results = new Map(Object.entries(JSON.parse(output) as Record<string, Answer[]>));
    const load1 = loadAverage();

    console.log(`\nAbuse battery, ${SECONDS} s against ${DATABASE_URL.replace(/^.*@/, '')} (API: compiled, NODE_ENV=production, SYNC_TIMEOUT_MS=${process.env['SYNC_TIMEOUT_MS'] ?? 5000})`);
    console.log(`load average before ${load0}, after ${load1}\n`);
    console.log('| battery item, alone | code | time |\n|---|---|---|');
    for (const [label, a] of alone) console.log(`| ${label} | ${a.status ? `${a.status} ${a.code}` : a.code} | ${fmt(a.ms)} |`);
    console.log('\n| battery item, under attack | answers | codes | p50 | max |\n|---|---|---|---|---|');
    for (const [label, answers] of results) {
      const codes = [...new Set(answers.map((a) => (a.status ? `${a.status} ${a.code}` : a.code)))].join(', ');
      console.log(`| ${label} | ${answers.length} | ${codes} | ${fmt(pct(answers.map((a) => a.ms), 50))} | ${fmt(Math.max(...answers.map((a) => a.ms)))} |`);
    }
    console.log('\n| normal question (victim) | p50 without | p99 without | p50 under attack | p99 under attack | ratio p50 | ratio p99 |\n|---|---|---|---|---|---|---|');
    for (const key of ['options', 'search'] as const) {
      const [b50, b99, a50, a99] = [pct(baseline[key], 50), pct(baseline[key], 99), pct(underAttack[key], 50), pct(underAttack[key], 99)];
      const label = key === 'options' ? 'filterOptions(CONTRACTOR, "construction", 10)' : 'searchContracts(organization + year, 20 rows)';
      console.log(`| ${label} | ${fmt(b50)} | ${fmt(b99)} | ${fmt(a50)} | ${fmt(a99)} | ${(a50 / b50).toFixed(1)}x | ${(a99 / b99).toFixed(1)}x |`);
    }
    console.log(`\nvictim samples: ${baseline.options.length} without, ${underAttack.options.length} under attack; victim errors under attack: ${underAttack.errors.length ? [...new Set(underAttack.errors)].join(', ') : 'none'}`);
    console.log(`API RSS: ${rssIdle.toFixed(0)} MB idle, ${rssMax.toFixed(0)} MB max under attack`);
    console.log(`API event-loop delay, max: ${lagBaseline.toFixed(0)} ms during the baseline, ${lagAttack.toFixed(0)} ms during the attack`);
  } finally {
    api.kill('SIGTERM');
    const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    await deletePrefixKeys(redis, 'kontrata-bench-abuse').finally(() => redis.disconnect());
  }
}

(values.attack ? attack(values.attack) : main()).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
