// `npm run stress -- --tasks 20 --concurrency 5 --kind search|analytics|table|mixed [--url URL]`
//
// Drives a running Kontrata API like real clients do: submits questions through the
// GraphQL mutations, follows every task over graphql-ws (taskProgress), fetches the
// result with taskResult, and ends with a table of throughput, latency and failures.
// Exit code 1 if any task failed, was lost (no terminal event before --timeout), or
// its result was not READY.
import { parseArgs } from 'node:util';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { buildQuestion, type Question, type StressKind } from './stress-questions.js';
import { intArg, percentile } from './support.js';

type Outcome = {
  ticket: 'QUEUED' | 'CACHED' | 'DEDUPLICATED' | 'ERROR';
  state: 'SUCCESS' | 'FAILURE' | 'LOST' | 'SUBMIT_ERROR';
  ms: number;
  error?: string;
};

const USAGE = 'usage: npm run stress -- --tasks N --concurrency C --kind search|analytics|table|mixed [--url http://127.0.0.1:4000/graphql] [--timeout 300] [--seed 1]';

function parseCli() {
  const { values } = parseArgs({
    options: {
      tasks: { type: 'string', default: '20' },
      concurrency: { type: 'string', default: '5' },
      kind: { type: 'string', default: 'mixed' },
      url: { type: 'string', default: 'http://127.0.0.1:4000/graphql' },
      timeout: { type: 'string', default: '300' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, v: string, min: number) => {
    try {
      return intArg(name, v, min);
    } catch (err) {
      console.error(`${(err as Error).message}\n${USAGE}`);
      process.exit(2);
    }
  };
  const kinds = ['search', 'analytics', 'table', 'mixed'];
  if (!kinds.includes(values.kind)) {
    console.error(`--kind must be one of ${kinds.join(', ')} (got ${values.kind})\n${USAGE}`);
    process.exit(2);
  }
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    console.error(`--url is not a URL: ${values.url}`);
    process.exit(2);
  }
  return {
    tasks: int('tasks', values.tasks, 1),
    concurrency: int('concurrency', values.concurrency, 1),
    kind: values.kind as StressKind,
    url,
    timeoutMs: int('timeout', values.timeout, 1) * 1000,
    seed: int('seed', values.seed, 0),
  };
}

async function graphql<T>(url: URL, query: string, variables: Record<string, unknown>): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as never;
}

/** Follows one task over graphql-ws until SUCCESS/FAILURE (or the deadline). */
function follow(client: Client, taskId: string, deadline: number, onState: (s: string) => void): Promise<{ state: string; error?: string }> {
  return new Promise((resolve) => {
    let last: { state: string; error?: string } = { state: 'LOST', error: 'no terminal event before the timeout' };
    const timer = setTimeout(() => {
      dispose();
      resolve(last.state === 'SUCCESS' || last.state === 'FAILURE' ? last : { state: 'LOST', error: `still ${last.state} at the timeout` });
    }, Math.max(0, deadline - Date.now()));
    const dispose = client.subscribe<{ taskProgress: { state: string; error: string | null } }>(
      { query: 'subscription ($id: ID!) { taskProgress(taskId: $id) { state progress error } }', variables: { id: taskId } },
      {
        next: (msg) => {
          if (msg.errors?.length) last = { state: 'FAILURE', error: msg.errors.map((e) => e.message).join('; ') };
          const ev = msg.data?.taskProgress;
          if (ev) {
            last = { state: ev.state, error: ev.error ?? undefined };
            onState(ev.state);
          }
        },
        error: (err) => {
          clearTimeout(timer);
          resolve({ state: 'LOST', error: `subscription error: ${err instanceof Error ? err.message : JSON.stringify(err)}` });
        },
        complete: () => {
          clearTimeout(timer);
          resolve(last.state === 'SUCCESS' || last.state === 'FAILURE' ? last : { state: 'LOST', error: `subscription completed in ${last.state}` });
        },
      },
    );
  });
}

const MUTATION: Record<Question['kind'], string> = {
  search: 'mutation ($input: SearchInput!) { t: submitSearch(input: $input) { status taskId cacheKey } }',
  analytics: 'mutation ($input: AnalyticsInput!) { t: submitAnalytics(input: $input) { status taskId cacheKey } }',
  table: 'mutation ($input: AnalyticsTableInput!) { t: submitAnalyticsTable(input: $input) { status taskId cacheKey } }',
};

async function main() {
  const opts = parseCli();
  const wsUrl = new URL(opts.url);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = createClient({ url: wsUrl.toString(), webSocketImpl: WebSocket, lazy: true, retryAttempts: 3 });
  const counts = { submitted: 0, queued: 0, running: 0, done: 0, failed: 0 };
  const outcomes: Outcome[] = [];
  const tty = process.stdout.isTTY;
  const line = () => `submitted ${counts.submitted}/${opts.tasks}  queued ${counts.queued}  running ${counts.running}  done ${counts.done}  failed ${counts.failed}`;
  // A terminal gets one line rewritten in place; a log file or CI gets a line every 5 s.
  const render = () => {
    if (tty) process.stdout.write(`\r${line()}   `);
  };
  let lastLogged = '';
  const ticker = tty
    ? setInterval(render, 200)
    : setInterval(() => {
        const now = line();
        if (now !== lastLogged) console.log(now);
        lastLogged = now;
      }, 5000);
  const started = Date.now();
  let next = 0;

  async function runOne(i: number): Promise<Outcome> {
    const q = buildQuestion(opts.kind, opts.seed, i);
    const t0 = performance.now();
    counts.submitted++;
    let res;
    try {
      res = await graphql<{ t: { status: Outcome['ticket']; taskId: string; cacheKey: string } }>(opts.url, MUTATION[q.kind], { input: q.input });
    } catch (err) {
      return { ticket: 'ERROR', state: 'SUBMIT_ERROR', ms: performance.now() - t0, error: (err as Error).message };
    }
    const ticket = res.data?.t;
    if (!ticket) {
      const e = res.errors?.[0];
      return { ticket: 'ERROR', state: 'SUBMIT_ERROR', ms: performance.now() - t0, error: `${e?.extensions?.code ?? 'ERROR'}: ${e?.message ?? 'no data'}` };
    }
    counts.queued++;
    let phase: 'queued' | 'running' = 'queued';
    const end = await follow(client, ticket.taskId, Date.now() + opts.timeoutMs, (state) => {
      if (phase === 'queued' && state !== 'PENDING') {
        counts.queued--;
        counts.running++;
        phase = 'running';
      }
    });
    counts[phase]--;
    let state = end.state as Outcome['state'];
    let error = end.error;
    if (state === 'SUCCESS') {
      // A client reads the result next: it must be READY.
      const r = await graphql<{ taskResult: { status: string; message: string } }>(opts.url, 'query ($k: String!) { taskResult(cacheKey: $k) { status message } }', { k: ticket.cacheKey });
      if (r.data?.taskResult.status !== 'READY') {
        state = 'FAILURE';
        error = `taskResult after SUCCESS was ${r.data?.taskResult.status ?? JSON.stringify(r.errors)}`;
      }
    }
    return { ticket: ticket.status, state, ms: performance.now() - t0, error };
  }

  async function lane() {
    while (next < opts.tasks) {
      const o = await runOne(next++);
      outcomes.push(o);
      if (o.state === 'SUCCESS') counts.done++;
      else counts.failed++;
    }
  }
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.tasks) }, lane));
  clearInterval(ticker);
  render();
  if (tty) process.stdout.write('\n');
  await client.dispose();

  const elapsed = (Date.now() - started) / 1000;
  const ok = outcomes.filter((o) => o.state === 'SUCCESS');
  const lat = ok.map((o) => o.ms).sort((a, b) => a - b);
  const failures = outcomes.filter((o) => o.state !== 'SUCCESS');
  const by = (t: Outcome['ticket']) => outcomes.filter((o) => o.ticket === t).length;
  const rows: [string, string][] = [
    ['kind', opts.kind],
    ['tasks', String(opts.tasks)],
    ['concurrency', String(opts.concurrency)],
    ['elapsed', `${elapsed.toFixed(1)} s`],
    ['throughput', `${(ok.length / elapsed).toFixed(2)} tasks/s`],
    ['submit→SUCCESS p50', `${percentile(lat, 50).toFixed(0)} ms`],
    ['submit→SUCCESS p95', `${percentile(lat, 95).toFixed(0)} ms`],
    ['submit→SUCCESS p99', `${percentile(lat, 99).toFixed(0)} ms`],
    ['tickets QUEUED', String(by('QUEUED'))],
    ['tickets CACHED (cache hits)', String(by('CACHED'))],
    ['tickets DEDUPLICATED', String(by('DEDUPLICATED'))],
    ['succeeded', String(ok.length)],
    ['failed or lost', String(failures.length)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log(rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n'));
  if (failures.length) {
    const grouped = new Map<string, number>();
    for (const f of failures) grouped.set(`${f.state}: ${f.error ?? ''}`, (grouped.get(`${f.state}: ${f.error ?? ''}`) ?? 0) + 1);
    console.log('\nfailures:');
    for (const [msg, n] of grouped) console.log(`  ${n} × ${msg}`);
    process.exitCode = 1;
  }
}

await main();
