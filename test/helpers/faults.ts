// One fault against a running deployment, as an operator would meet it: tasks are running
// (held on a lock of the contracts table) and queued behind them, every one followed over
// graphql-ws, when Redis restarts, Redis is killed, or PostgreSQL restarts. Returns what
// each client saw and how long /ready took to answer 200 again. Shared by the fault test
// (test/faults) and the benchmark (bench/faults.ts); it asserts nothing itself.
import pg from 'pg';
import { collect, gql, gqlData, TASK_PROGRESS, wsClient, type Collected, type GraphQLErrorJson, type TaskEventJson } from './graphql.js';
import { SUBMIT, TASK_STATUS, type Ticket } from './operations.js';
import type { PrivateServer } from './private-servers.js';

export type FaultName = 'redis-restart' | 'redis-kill' | 'postgres-restart';
export const FAULTS: readonly FaultName[] = ['redis-restart', 'redis-kill', 'postgres-restart'];

export type TaskOutcome = {
  taskId: string;
  cacheKey: string;
  /** SUCCESS / FAILURE (last event of a completed stream), or ERROR when the stream ended with an error. */
  end: 'SUCCESS' | 'FAILURE' | 'ERROR' | 'TIMEOUT';
  error: GraphQLErrorJson | null;
  /** taskResult(cacheKey) afterwards. */
  result: { status: string; message: string };
  /** Attempts the task took (taskStatus afterwards); null when its record is gone. */
  attempts: number | null;
};

export type FaultOutcome = {
  fault: FaultName;
  submitted: number;
  /** Tasks STARTED (held by the lock) and PENDING when the fault hit. */
  runningAtFault: number;
  queuedAtFault: number;
  tasks: TaskOutcome[];
  succeeded: number;
  /** Streams that ended without SUCCESS (lost by the store, or failed). */
  lost: number;
  /** ms from the service answering again to /ready answering 200; null if not within `readyWithinMs`. */
  readyMs: number | null;
  /** ms the service was down (fault start to the service answering again). */
  downMs: number;
};

export type FaultTarget = {
  /** GraphQL URL of the API under test. */
  url: string;
  /** The deployment's database (the lock is taken there). */
  databaseUrl: string;
  redis: PrivateServer;
  postgres: PrivateServer | null;
  /** Tasks the workers run at once in total: that many get held by the lock, the rest wait. */
  concurrency: number;
};

const RESULT = 'query($k: String!) { taskResult(cacheKey: $k) { status message } }';

/** Distinct questions (never CACHED or DEDUPLICATED): alternating searches and analytics, numbered by `seq`. */
function question(seq: number, i: number): { kind: 'SEARCH' | 'ANALYTICS'; input: Record<string, unknown> } {
  return i % 2 === 0
    ? { kind: 'SEARCH', input: { filters: { keywords: ['road'] }, page: seq * 1000 + i + 1, pageSize: 5 } }
    : { kind: 'ANALYTICS', input: { filters: { keywords: ['supply'], minAmount: seq * 1000 + i }, topN: 3 } };
}

async function poll(fn: () => Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn().catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

async function injectFault(fault: FaultName, target: FaultTarget): Promise<void> {
  if (fault === 'redis-restart') {
    await target.redis.stop(); // SIGTERM: Redis flushes its AOF and exits
    await target.redis.restart();
  } else if (fault === 'redis-kill') {
    await target.redis.kill(); // SIGKILL: no chance to flush anything
    await target.redis.restart();
  } else {
    if (!target.postgres) throw new Error('postgres-restart needs a private PostgreSQL server');
    await target.postgres.stop(); // pg_ctl stop -m fast: every session is terminated
    await target.postgres.restart();
  }
}

/** Submits `tasks` questions, holds the first ones running, injects `fault`, releases them, and reports every client's outcome. */
export async function runFault(
  target: FaultTarget,
  fault: FaultName,
  opts: { tasks: number; seq: number; readyWithinMs: number; followTimeoutMs?: number },
): Promise<FaultOutcome> {
  const locker = new pg.Client({ connectionString: target.databaseUrl });
  locker.on('error', () => {}); // a PostgreSQL restart terminates it, which also releases the lock
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE contracts IN ACCESS EXCLUSIVE MODE');
  const client = wsClient(target.url);
  try {
    const tickets: Ticket[] = [];
    for (let i = 0; i < opts.tasks; i++) {
      const q = question(opts.seq, i);
      tickets.push((await gqlData<{ ticket: Ticket }>(target.url, SUBMIT[q.kind], { input: q.input })).ticket);
    }
    // Every stream's first event (the task's state when the subscription began) tells that
    // it is established. The fault waits for all of them: it must hit tasks that are being
    // followed, not subscriptions still on their way to the API (those meet Redis down when
    // they arrive: the durable store's test failed so once, on a loaded machine).
    const following = new Set<string>();
    const streams = tickets.map((t) =>
      collect<{ taskProgress: TaskEventJson }>(client, TASK_PROGRESS, { taskId: t.taskId }, {
        timeoutMs: opts.followTimeoutMs ?? 60_000,
        onEvent: () => following.add(t.taskId),
      }).catch(
        (err: Error): Collected<{ taskProgress: TaskEventJson }> & { timeout: string } => ({ events: [], errors: null, completed: false, timeout: err.message }),
      ),
    );

    if (!(await poll(async () => following.size === tickets.length, 20_000, 20))) {
      throw new Error(`only ${following.size} of ${tickets.length} taskProgress subscriptions began within 20 s`);
    }

    // The first `concurrency` tasks start and wait on the lock; the others stay queued.
    const states = async () =>
      Promise.all(tickets.map(async (t) => (await gqlData<{ taskStatus: { state: string } | null }>(target.url, TASK_STATUS, { taskId: t.taskId })).taskStatus?.state));
    let snapshot: (string | undefined)[] = [];
    const held = Math.min(target.concurrency, opts.tasks);
    await poll(async () => {
      snapshot = await states();
      return snapshot.filter((s) => s === 'STARTED' || s === 'PROGRESS').length >= held;
    }, 20_000, 100);
    const runningAtFault = snapshot.filter((s) => s === 'STARTED' || s === 'PROGRESS').length;
    const queuedAtFault = snapshot.filter((s) => s === 'PENDING').length;

    const faultAt = Date.now();
    await injectFault(fault, target);
    const backAt = Date.now();
    const readyUrl = target.url.replace(/\/graphql$/, '/ready');
    const ready = await poll(async () => (await fetch(readyUrl)).status === 200, opts.readyWithinMs);
    const readyMs = ready ? Date.now() - backAt : null;

    await locker.query('ROLLBACK').catch(() => {});
    const collected = await Promise.all(streams);
    const tasks: TaskOutcome[] = [];
    for (const [i, c] of collected.entries()) {
      const t = tickets[i]!;
      const last = c.events.at(-1)?.taskProgress;
      const end: TaskOutcome['end'] = 'timeout' in c ? 'TIMEOUT' : c.errors?.length ? 'ERROR' : last?.state === 'SUCCESS' ? 'SUCCESS' : last?.state === 'FAILURE' ? 'FAILURE' : 'ERROR';
      const result = (await gql<{ taskResult: { status: string; message: string } }>(target.url, RESULT, { k: t.cacheKey })).data?.taskResult ?? { status: '?', message: '' };
      const status = (await gql<{ taskStatus: { attempts: number } | null }>(target.url, TASK_STATUS, { taskId: t.taskId })).data?.taskStatus;
      const error = c.errors?.[0] ?? (last?.state === 'FAILURE' ? { message: last.error ?? '' } : null);
      tasks.push({ taskId: t.taskId, cacheKey: t.cacheKey, end, error, result, attempts: status?.attempts ?? null });
    }
    const succeeded = tasks.filter((t) => t.end === 'SUCCESS').length;
    return { fault, submitted: tickets.length, runningAtFault, queuedAtFault, tasks, succeeded, lost: tasks.length - succeeded, readyMs, downMs: backAt - faultAt };
  } finally {
    await client.dispose();
    await locker.end().catch(() => {});
  }
}
