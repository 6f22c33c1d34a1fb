// Kontrata through GraphQL for bench/peer.ts: the API started in this process (as the tests
// do) and one worker process, on the bench database and a Redis prefix of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { buildApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/prisma.js';
import { createLogger } from '../src/logger.js';
import { deletePrefixKeys, taskKeys } from '../src/tasks/keys.js';
import { SUBMIT, SYNC, TASK_RESULT } from '../test/helpers/operations.js';
import { untilTaskSucceeds } from './support.js';

export type Kind = keyof typeof SUBMIT;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

export type GraphQLPeer = {
  /** The synchronous query (searchContracts, contractAnalytics, analyticsTable). */
  sync(kind: Kind, input: unknown): Promise<unknown>;
  /** The same question as a task: submit, wait for SUCCESS, read taskResult. The cached result is removed first, so the task really runs. */
  task(kind: Kind, input: unknown): Promise<unknown>;
  stop(): Promise<void>;
};

async function post<T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data!;
}

/** The worker's log line once its month cells and contract columns are in memory (src/contracts/month-cells.ts). */
const CELLS_LOADED = 'month rollup cells and contract columns loaded';

/** Starts a worker process, resolving once it has started and holds its month cells and contract columns (as a worker soon after its start). */
function spawnWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/index.ts'], { cwd: ROOT, env: { ...process.env, ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker process started') && output.includes(CELLS_LOADED)) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before starting:\n${output}`)));
  });
}

/**
 * Starts the API (in process) and one worker on `databaseUrl`. The API's engine uses `db`,
 * whose month cells and contract columns the caller has loaded (loadMonthCells), as an API
 * process holds them soon after its start.
 */
export async function startGraphQLPeer(databaseUrl: string, redisUrl: string, db: Db): Promise<GraphQLPeer> {
  const prefix = `kontrata-bench-peer-${randomBytes(4).toString('hex')}`;
  const env = {
    NODE_ENV: 'production', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, HOST: '127.0.0.1', PORT: '0',
    LOG_LEVEL: 'warn', WORKER_METRICS_PORT: '0', WORKER_CONCURRENCY: '1', SUBMIT_RATE_LIMIT: '0',
    // One address asks every question several times, synchronously and as tasks: past the
    // public per-client operation limit, which is not what this benchmark measures.
    QUERY_RATE_LIMIT: '0',
    // Synchronous questions are timed, not cut off at the public SYNC_TIMEOUT_MS (5 s), which
    // keyword questions at 5.5M can pass: the table then shows how long they take.
    SYNC_TIMEOUT_MS: '120000',
  };
  const app: App = buildApp(loadConfig(env), { logger: createLogger({ level: 'warn', name: 'bench-peer' }), db });
  const { url } = await app.start();
  const worker = await spawnWorker(env);
  const redis = new Redis(redisUrl);
  const keys = taskKeys(prefix);
  // A task's end is heard over graphql-ws (taskProgress), as the dashboard hears it: polling
  // taskStatus every few ms, as this benchmark did before, costs the API (in this process)
  // enough CPU to slow the worker's statement down on two cores.
  const ws = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
  const untilEnded = (taskId: string) => untilTaskSucceeds(ws, taskId);
  return {
    sync: (kind, input) => post(url, SYNC[kind], { input }),
    async task(kind, input) {
      const first = await post<{ ticket: { status: string; taskId: string; cacheKey: string } }>(url, SUBMIT[kind], { input });
      // A task this submission queued (or joined) must end before its result is removed: one
      // finishing after the removal would make the timed submission below CACHED.
      if (first.ticket.status === 'QUEUED' || first.ticket.status === 'DEDUPLICATED') await untilEnded(first.ticket.taskId);
      await redis.del(keys.result(first.ticket.cacheKey), keys.last(first.ticket.cacheKey), keys.inflight(first.ticket.cacheKey));
      await redis.zrem(keys.cacheIndex, first.ticket.cacheKey);
      // Timed from here: a fresh submit that queues a task.
      const t0 = performance.now();
      const { ticket } = await post<{ ticket: { status: string; taskId: string; cacheKey: string } }>(url, SUBMIT[kind], { input });
      if (ticket.status !== 'QUEUED') throw new Error(`expected QUEUED, got ${ticket.status}`);
      await untilEnded(ticket.taskId);
      await post(url, TASK_RESULT, { cacheKey: ticket.cacheKey });
      return performance.now() - t0;
    },
    async stop() {
      const exited = new Promise((r) => worker.once('exit', r));
      worker.kill('SIGTERM');
      await exited;
      await ws.dispose();
      await app.stop();
      await deletePrefixKeys(redis, prefix);
      redis.disconnect();
    },
  };
}
