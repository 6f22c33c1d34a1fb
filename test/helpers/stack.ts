// A real Kontrata deployment for end-to-end tests: its own PostgreSQL database (with the
// SQL fixture), its own Redis prefix, N API instances (buildApp on free ports) and M
// worker processes spawned like `npm run worker`.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { deletePrefixKeys } from '../../src/tasks/keys.js';
import { createTestDatabase, testQueuePrefix, TEST_REDIS_URL, type TestDatabase } from './db.js';
import { loadFixture } from './fixture.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

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
  workers: ChildProcess[];
  redis: Redis;
  /** Spawns one more worker process (deployment env plus `env`) and waits until it takes tasks. */
  startWorker(env?: Record<string, string>): Promise<ChildProcess>;
  /** Stops every worker process (SIGTERM, then SIGKILL after 15 s) and waits for them to exit. */
  stopWorkers(): Promise<void>;
  /** Counts what submitting could have created: task records, bee-queue jobs and waiting jobs. */
  queueFootprint(): Promise<{ tasks: number; jobs: number; waiting: number }>;
  stop(): Promise<void>;
};

export type StackOptions = {
  contracts?: number;
  apis?: number;
  workers?: number;
  env?: Record<string, string>;
};

/** Environment of one deployment (API config and worker processes alike). */
function deploymentEnv(database: TestDatabase, prefix: string, extra: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
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

/** Spawns a worker process; resolves when it logs that it started, rejects if it exits first. */
function spawnWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker process started')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume(); // keep draining, or the child blocks on a full pipe
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before starting:\n${output}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Deletes every Redis key of one prefix (never FLUSHDB: other test files share the Redis). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  await deletePrefixKeys(redis, prefix);
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
  const database = await createTestDatabase(label);
  await loadFixture(database.url, opts.contracts ?? 3000);
  const prefix = testQueuePrefix(label);
  const env = deploymentEnv(database, prefix, opts.env ?? {});
  const config = loadConfig(env);
  const logger = createLogger({ level: 'warn', name: `api-test-${label}` });
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
  const workers = await Promise.all(Array.from({ length: opts.workers ?? 1 }, () => spawnWorker(env)));
  const redis = new Redis(TEST_REDIS_URL);
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
    async startWorker(extra = {}) {
      const worker = await spawnWorker({ ...env, ...extra });
      workers.push(worker);
      return worker;
    },
    async stopWorkers() {
      await Promise.allSettled(workers.map(stopChild));
    },
    async queueFootprint() {
      const [tasks, jobs, waiting] = await Promise.all([
        countKeys(redis, `${prefix}:task:*`),
        redis.hlen(`${prefix}:bq:tasks:jobs`),
        redis.llen(`${prefix}:bq:tasks:waiting`),
      ]);
      return { tasks, jobs, waiting };
    },
    async stop() {
      await Promise.allSettled(workers.map(stopChild));
      await Promise.allSettled(apps.map((a) => a.stop()));
      await deletePrefix(redis, prefix).catch(() => {});
      redis.disconnect();
      await database.drop();
    },
  };
}
