// Everything a worker test needs: its own database with fixture data, its own Redis
// prefix, a producer, an event recorder subscribed before anything is submitted, and
// real worker processes that are all killed at the end.
import type { Redis } from 'ioredis';
import pg from 'pg';
import { createTaskQueue, type TaskQueue, type TaskTicket } from '../../../src/tasks/index.js';
import { createTestDatabase, testQueuePrefix, TEST_REDIS_URL, type TestDatabase } from '../../helpers/db.js';
import { createRedis, deletePrefix, recordEvents, type EventLog } from '../../helpers/redis.js';
import { loadFixture } from './fixture.js';
import { killWorker, spawnWorker, type WorkerProcess } from '../../helpers/worker-process.js';

export type Harness = {
  db: TestDatabase;
  prefix: string;
  redis: Redis;
  queue: TaskQueue;
  events: EventLog;
  /** Spawns a worker process on this test's database and prefix and waits until it takes tasks. */
  startWorker(env?: Record<string, string>): Promise<WorkerProcess>;
  /** SIGKILLs every worker this harness started (a clean slate between tests). */
  killAllWorkers(): Promise<void>;
  /** Waits for the task's SUCCESS or FAILURE event and returns its final record. */
  waitForEnd(ticket: TaskTicket | string, timeoutMs?: number): ReturnType<TaskQueue['getTask']>;
  /** A pg client on the test database (closed at teardown). */
  sql(): Promise<pg.Client>;
  teardown(): Promise<void>;
};

/** What worker tests run their workers with, unless a test says otherwise: small, quick to retry, stall and stop. */
const WORKER_TEST_ENV = {
  WORKER_CONCURRENCY: '2',
  STALL_INTERVAL_MS: '1000',
  TASK_RETRY_BACKOFF_MS: '200',
  SHUTDOWN_GRACE_SECONDS: '5',
  WORKER_METRICS_PORT: '0', // no metrics server unless a test asks for one (parallel workers would collide)
};

/** Sets up a worker test; `workerEnv` applies to every worker it spawns. */
export async function createHarness(
  label: string,
  opts: { contracts?: number; workerEnv?: Record<string, string>; redisUrl?: string } = {},
): Promise<Harness> {
  const db = await createTestDatabase(label);
  await loadFixture(db.url, opts.contracts ?? 400);
  const prefix = testQueuePrefix(label);
  const redisUrl = opts.redisUrl ?? TEST_REDIS_URL;
  const redis = createRedis(redisUrl);
  const events = await recordEvents(prefix, redisUrl);
  const maxRetries = Number(opts.workerEnv?.TASK_MAX_RETRIES ?? 2);
  const queue = createTaskQueue({
    redisUrl,
    prefix,
    resultTtlSeconds: 300,
    maxRetries,
    retryBackoffMs: Number(opts.workerEnv?.TASK_RETRY_BACKOFF_MS ?? 200),
    db: db.prisma,
  });
  const workers: WorkerProcess[] = [];
  const clients: pg.Client[] = [];

  return {
    db,
    prefix,
    redis,
    queue,
    events,
    async startWorker(env = {}) {
      const w = spawnWorker({ ...WORKER_TEST_ENV, DATABASE_URL: db.url, QUEUE_PREFIX: prefix, REDIS_URL: redisUrl, ...opts.workerEnv, ...env });
      workers.push(w);
      await w.ready;
      return w;
    },
    async killAllWorkers() {
      await Promise.all(workers.map((w) => killWorker(w, 'SIGKILL')));
    },
    async waitForEnd(ticket, timeoutMs = 30_000) {
      const taskId = typeof ticket === 'string' ? ticket : ticket.taskId;
      await events.waitForEnd(taskId, timeoutMs);
      return queue.getTask(taskId);
    },
    async sql() {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      clients.push(client);
      return client;
    },
    async teardown() {
      await Promise.all(workers.map((w) => killWorker(w, 'SIGKILL')));
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
      await events.close();
      await queue.close();
      await deletePrefix(redis, prefix);
      await redis.quit();
      await db.drop();
    },
  };
}

/** Locks the contracts table until the returned function is called: every query on it waits. */
export async function lockContracts(client: pg.Client): Promise<() => Promise<void>> {
  await client.query('BEGIN');
  await client.query('LOCK TABLE contracts IN ACCESS EXCLUSIVE MODE');
  return async () => {
    await client.query('ROLLBACK');
  };
}

/** Queries of other sessions on this database that are running now (not idle). */
export async function activeQueries(client: pg.Client): Promise<{ pid: number; query: string; wait_event_type: string | null }[]> {
  const { rows } = await client.query(
    `SELECT pid, query, wait_event_type FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND backend_type = 'client backend'`,
  );
  return rows;
}
