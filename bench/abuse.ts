// `npm run bench:abuse -- [--contracts 1000000] [--seconds 30] [--samples 40]`
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
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { deletePrefixKeys } from '../src/tasks/keys.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' }, samples: { type: 'string', default: '40' }, port: { type: 'string', default: '4939' } } });
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
const BATTERY: Record<string, () => Promise<Answer>> = {
  '1,000 aliases': () => post({ query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: contractAnalytics(input: { filters: { keywords: ["a"] } }) { summary { count } }`).join(' ')} }` }, bot()),
  'depth-50 introspection': () => post({ query: `{ __schema { types { fields { type { ${inner} } } } } }` }, bot()),
  '5 MB document': () => post({ query: `{ __typename } # ${'x'.repeat(5 * 1024 * 1024)}` }, bot()),
  '10,000 time ranges': () => post({ query: NORMAL_SEARCH.query, variables: { i: { filters: { timeRanges: Array.from({ length: 10_000 }, (_, i) => ({ year: 2000 + (i % 25) })) } } } }, bot()),
  '150 bad enum literals (230 KB)': () =>
    post({ operationName: 'q0', query: Array.from({ length: 150 }, (_, i) => `query q${i} { filterOptions(dimension: BAD_${i}, search: "${name}") { label } }`).join('\n') }, bot()),
  '66-part chip': () => post({ query: NORMAL_SEARCH.query, variables: { i: { filters: { keywords: [Array.from({ length: 66 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('&&')] } } } }, bot()),
  '1-letter keyword search': () => post({ query: NORMAL_SEARCH.query, variables: { i: { filters: { keywords: ['a'] } } } }, bot()),
  'form-encoded cross-site POST': () =>
    post(new URLSearchParams({ query: 'mutation { submitSearch(input: { filters: {} }) { taskId } }' }).toString(), { ...bot(), origin: 'https://evil.example' }, 'application/x-www-form-urlencoded'),
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

async function main(): Promise<void> {
  const api = spawn(process.execPath, ['dist/src/index.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL,
      PORT: String(PORT),
      METRICS_PORT: '0',
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
    const load0 = loadavg().map((l) => l.toFixed(2)).join(' ');
    const rssIdle = rssMb(api.pid!);
    // Warm-up, then the baseline.
    await measureVictim(() => true, 5);
    const baseline = await measureVictim(() => true, SAMPLES);

    const ticket = (await (await fetch(URL_, { method: 'POST', headers: { 'content-type': 'application/json', ...bot() }, body: JSON.stringify({ query: 'mutation { submitSearch(input: { filters: { keywords: ["bench abuse"] } }) { taskId } }' }) })).json()) as { data: { submitSearch: { taskId: string } } };
    const results = new Map<string, Answer[]>();
    const end = Date.now() + SECONDS * 1000;
    const running = () => Date.now() < end;
    const loops: Promise<void>[] = [];
    const loop = (label: string, fn: () => Promise<Answer>, parallel: number) => {
      for (let p = 0; p < parallel; p++) {
        loops.push((async () => {
          while (running()) {
            const a = await fn();
            if (!results.has(label)) results.set(label, []);
            results.get(label)!.push(a);
          }
        })());
      }
    };
    for (const [label, fn] of Object.entries(BATTERY)) loop(label, fn, label === '1-letter keyword search' ? 8 : 1);
    loop('100 subscriptions, one socket', () => subscriptionsOnOneSocket(ticket.data.submitSearch.taskId), 1);
    let rssMax = 0;
    const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, rssMb(api.pid!))), 500);
    const attack = await measureVictim(() => !running(), SAMPLES);
    await Promise.all(loops);
    clearInterval(rssTimer);
    const load1 = loadavg().map((l) => l.toFixed(2)).join(' ');

    console.log(`\nAbuse battery, ${SECONDS} s against ${DATABASE_URL.replace(/^.*@/, '')} (API: compiled, NODE_ENV=production, SYNC_TIMEOUT_MS=${process.env['SYNC_TIMEOUT_MS'] ?? 5000})`);
    console.log(`load average before ${load0}, after ${load1}\n`);
    console.log('| battery item | answers | codes | p50 | max |\n|---|---|---|---|---|');
    for (const [label, answers] of results) {
      const codes = [...new Set(answers.map((a) => (a.status ? `${a.status} ${a.code}` : a.code)))].join(', ');
      console.log(`| ${label} | ${answers.length} | ${codes} | ${fmt(pct(answers.map((a) => a.ms), 50))} | ${fmt(Math.max(...answers.map((a) => a.ms)))} |`);
    }
    console.log('\n| normal question (victim) | p50 without | p99 without | p50 under attack | p99 under attack | ratio p50 | ratio p99 |\n|---|---|---|---|---|---|---|');
    for (const key of ['options', 'search'] as const) {
      const [b50, b99, a50, a99] = [pct(baseline[key], 50), pct(baseline[key], 99), pct(attack[key], 50), pct(attack[key], 99)];
      const label = key === 'options' ? 'filterOptions(CONTRACTOR, "construction", 10)' : 'searchContracts(organization + year, 20 rows)';
      console.log(`| ${label} | ${fmt(b50)} | ${fmt(b99)} | ${fmt(a50)} | ${fmt(a99)} | ${(a50 / b50).toFixed(1)}x | ${(a99 / b99).toFixed(1)}x |`);
    }
    console.log(`\nvictim samples: ${baseline.options.length} without, ${attack.options.length} under attack; victim errors under attack: ${attack.errors.length ? [...new Set(attack.errors)].join(', ') : 'none'}`);
    console.log(`API RSS: ${rssIdle.toFixed(0)} MB idle, ${rssMax.toFixed(0)} MB max under attack`);
  } finally {
    api.kill('SIGTERM');
    const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    await deletePrefixKeys(redis, 'kontrata-bench-abuse').finally(() => redis.disconnect());
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
