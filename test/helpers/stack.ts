// A real Kontrata deployment for end-to-end tests: its own PostgreSQL database (with the
// SQL fixture), its own Redis prefix, N API instances (buildApp on free ports) and M
// worker processes spawned like `npm run worker`.
import { Redis } from 'ioredis';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { beeKeys } from '../../src/tasks/bee.js';
import { taskKeys } from '../../src/tasks/keys.js';
import { createTestDatabase, testQueuePrefix, TEST_REDIS_URL, type TestDatabase } from './db.js';
import { loadFixture } from './fixture.js';
import { deletePrefix } from './redis.js';
import { killWorker, spawnWorker, type WorkerProcess } from './worker-process.js';

export type Stack = {
  config: Config;
  database: TestDatabase;
  prefix: string;
  apps: App[];
  urls: string[];
  /** The first API's GraphQL URL. */
  url: string;
  /** The first API's /metrics URL (null unless the test set METRICS_PORT). */
  metricsUrl: string | null;
  /** The worker processes running now. */
  workers: WorkerProcess[];
  redis: Redis;
  /** Spawns one more worker process (deployment env plus `env`) and waits until it takes tasks. */
  startWorker(env?: Record<string, string>): Promise<WorkerProcess>;
  /** Stops every worker process (SIGTERM, then SIGKILL after 15 s) and waits for them to exit. */
  stopWorkers(): Promise<void>;
  /** Stops the workers and deletes every Redis key of the prefix: tasks, results, counters (the APIs keep running). */
  reset(): Promise<void>;
  /** Counts what submitting could have created: task records, bee-queue jobs and waiting jobs. */
  queueFootprint(): Promise<{ tasks: number; jobs: number; waiting: number }>;
  stop(): Promise<void>;
};

export type StackOptions = {
  contracts?: number;
  apis?: number;
  workers?: number;
  env?: Record<string, string>;
  /** Another Redis than the shared test one (a private server of a fault test). */
  redisUrl?: string;
  /** Another PostgreSQL server's maintenance URL (a private server of a fault test). */
  adminUrl?: string;
  /** The API instances' logger (default: warn level to stdout). */
  logger?: Logger;
};

/** Environment of one deployment (API config and worker processes alike). */
function deploymentEnv(database: TestDatabase, prefix: string, redisUrl: string, extra: Record<string, string>) {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    WORKER_METRICS_PORT: '0',
    // Off unless a test asks for it (a fixed port would clash between parallel test files).
    METRICS_PORT: '0',
    STALL_INTERVAL_MS: '1000',
    ...extra,
  };
}

async function countKeys(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}

/** Starts a deployment: database with `contracts` fixture rows, `apis` API instances, `workers` worker processes. */
export async function startStack(label: string, opts: StackOptions = {}): Promise<Stack> {
  const database = await createTestDatabase(label, opts.adminUrl);
  await loadFixture(database.url, opts.contracts ?? 3000);
  const prefix = testQueuePrefix(label);
  const redisUrl = opts.redisUrl ?? TEST_REDIS_URL;
  const env = deploymentEnv(database, prefix, redisUrl, opts.env ?? {});
  const config = loadConfig(env);
  const logger = opts.logger ?? createLogger({ level: 'warn', name: `api-test-${label}` });
  const apps: App[] = [];
  const urls: string[] = [];
  let metricsUrl: string | null = null;
  for (let i = 0; i < (opts.apis ?? 1); i++) {
    const app = buildApp(config, { logger, subscriptionPollMs: 5000 });
    apps.push(app);
    const started = await app.start();
    urls.push(started.url);
    metricsUrl ??= started.metricsUrl;
  }
  const workers: WorkerProcess[] = [];
  const startWorker = async (extra: Record<string, string> = {}) => {
    const worker = spawnWorker({ ...env, ...extra });
    workers.push(worker);
    await worker.ready;
    return worker;
  };
  const stopWorkers = async () => {
    await Promise.allSettled(workers.splice(0).map((w) => killWorker(w)));
  };
  await Promise.all(Array.from({ length: opts.workers ?? 1 }, () => startWorker()));
  const redis = new Redis(redisUrl);
  redis.on('error', () => {}); // fault tests restart a private Redis on purpose
  const keys = taskKeys(prefix);
  const bee = beeKeys(prefix);
  return {
    config,
    database,
    prefix,
    apps,
    urls,
    url: urls[0]!,
    metricsUrl,
    workers,
    redis,
    startWorker,
    stopWorkers,
    async reset() {
      await stopWorkers();
      await deletePrefix(redis, prefix);
    },
    async queueFootprint() {
      const [tasks, jobs, waiting] = await Promise.all([
        countKeys(redis, `${keys.families.task}*`),
        redis.hlen(bee.jobs),
        redis.llen(bee.waiting),
      ]);
      return { tasks, jobs, waiting };
    },
    async stop() {
      await stopWorkers();
      await Promise.allSettled(apps.map((a) => a.stop()));
      await deletePrefix(redis, prefix).catch(() => {});
      redis.disconnect();
      await database.drop();
    },
  };
}
