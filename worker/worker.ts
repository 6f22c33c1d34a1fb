// A worker: takes tasks from bee-queue, WORKER_CONCURRENCY at once, runs them through the
// query engine and records their outcome. Usable in-process (tests, `npm start`) and from
// worker/index.ts (one process per worker in production).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from '../src/config.js';
import type { Db } from '../src/db/prisma.js';
import { createLogger, type Logger } from '../src/logger.js';
import { createWorkerMetrics, startMetricsServer, type WorkerMetrics } from '../src/metrics.js';
import { createBeeQueue, createTaskStore, isNoScriptError, queueDepthSamples, reloadBeeScripts, WorkerShutdownError } from '../src/tasks/index.js';
import { startExportSweeper } from '../src/exports/index.js';
import { startHeartbeat } from '../src/tasks/heartbeat.js';
import { createTaskHandler } from './run-task.js';

export type WorkerOptions = {
  redisUrl: string;
  /** QUEUE_PREFIX of the deployment. */
  prefix: string;
  /** The caller owns it; give it at least `concurrency` + 2 connections (the engine cancels SQL on another one). */
  db: Db;
  concurrency: number;
  resultTtlSeconds: number;
  /** TASK_TIMEOUT_SECONDS: past it an attempt's SQL is cancelled and the task fails. */
  timeoutSeconds: number;
  /** TASK_MAX_STALLS: worker deaths tolerated per task; one more fails it. */
  maxStalls: number;
  /** STALL_INTERVAL_MS: how soon a dead worker's task is handed to another worker (about 1-2 intervals). */
  stallIntervalMs: number;
  /** Default grace of stop() (SHUTDOWN_GRACE_SECONDS). */
  shutdownGraceSeconds?: number;
  logger?: Logger;
  heartbeatMs?: number;
  /** WORKER_METRICS_PORT: Prometheus /metrics of this worker; 0 or absent = no metrics server. */
  metricsPort?: number;
  /** WORKER_METRICS_HOST (default 127.0.0.1). */
  metricsHost?: string;
  /** EXPORT_DIR: where EXPORT tasks write their files (default ./var/exports); swept of expired files. */
  exportDir?: string;
};

export type RunningWorker = {
  id: string;
  /** Port of this worker's /metrics, or null when it serves none (port 0, or the port was taken). */
  metricsPort: number | null;
  /** This worker's Prometheus metrics. */
  metrics: WorkerMetrics;
  /** Attempts running now. */
  running(): number;
  /**
   * Stops taking tasks, lets running ones finish for up to `graceMs` (default: the
   * shutdown grace), then interrupts the rest, which go back to the queue for another
   * worker. Idempotent.
   */
  stop(graceMs?: number): Promise<void>;
};

/** The worker options of a deployment's Config. */
export function workerOptionsFromConfig(config: Config, db: Db, logger?: Logger): WorkerOptions {
  return {
    redisUrl: config.redisUrl,
    prefix: config.queuePrefix,
    db,
    concurrency: config.workerConcurrency,
    resultTtlSeconds: config.resultTtlSeconds,
    timeoutSeconds: config.taskTimeoutSeconds,
    maxStalls: config.taskMaxStalls,
    stallIntervalMs: config.stallIntervalMs,
    shutdownGraceSeconds: config.shutdownGraceSeconds,
    metricsPort: config.workerMetricsPort,
    metricsHost: config.workerMetricsHost,
    exportDir: config.exportDir,
    ...(logger ? { logger } : {}),
  };
}

/** Starts a worker; resolves once it is connected and taking tasks. */
export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const id = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const logger = (opts.logger ?? createLogger({ level: 'silent', name: 'worker' })).child({ workerId: id });
  const redis = new Redis(opts.redisUrl);
  redis.on('error', (err: Error) => logger.error({ err }, 'redis connection error'));
  const store = createTaskStore(redis, { prefix: opts.prefix, resultTtlSeconds: opts.resultTtlSeconds });
  const bee = createBeeQueue({
    redisUrl: opts.redisUrl,
    prefix: opts.prefix,
    worker: { stallIntervalMs: opts.stallIntervalMs },
    onError: (err) => logger.error({ err }, 'could not reload queue scripts'),
  });
  bee.on('error', (err: Error) => {
    logger.error({ err }, 'queue error');
    // Scripts flushed (SCRIPT FLUSH, or a restart this connection has not noticed yet):
    // reload them, so that the next stall check and delayed-retry activation work again.
    if (isNoScriptError(err)) reloadBeeScripts(bee).catch((e: Error) => logger.error({ err: e }, 'could not reload queue scripts'));
  });
  bee.on('stalled', (jobId: string) => logger.warn({ taskId: jobId }, 'task stalled (its worker died); requeued'));
  await bee.ready();
  // Fails fast when the database is unreachable, and pays Prisma's first-query start-up
  // (~1 s: loading its query compiler) here rather than inside the first task's deadline.
  await opts.db.$queryRaw`SELECT 1`;

  // Expired exports and partials of dead workers (a SIGKILLed one) are removed now and then periodically.
  const exportDir = opts.exportDir ?? path.resolve('var/exports');
  const sweeper = startExportSweeper({ dir: exportDir, ttlSeconds: opts.resultTtlSeconds, partialStaleMs: (opts.timeoutSeconds + 60) * 1000, logger });
  await sweeper.sweep();

  const metrics = createWorkerMetrics({ queueDepth: async () => queueDepthSamples(await store.counters()) });
  const metricsServer = await serveMetrics(metrics, opts, logger);

  const active = new Map<string, AbortController>();
  const handler = createTaskHandler({
    store,
    db: opts.db,
    timeoutSeconds: opts.timeoutSeconds,
    maxStalls: opts.maxStalls,
    logger,
    active,
    metrics,
    files: { dir: exportDir, ttlSeconds: opts.resultTtlSeconds },
  });
  bee.process(opts.concurrency, handler);
  // Every worker checks for stalled jobs; bee-queue's stallBlock key makes the checks of
  // all workers together run at most once per interval.
  bee.checkStalledJobs(opts.stallIntervalMs);
  const heartbeat = startHeartbeat({
    redis,
    keys: store.keys,
    workerId: id,
    concurrency: opts.concurrency,
    running: () => active.size,
    intervalMs: opts.heartbeatMs ?? 5_000,
    onError: (err) => logger.warn({ err }, 'heartbeat failed'),
  });
  logger.info({ concurrency: opts.concurrency, prefix: opts.prefix }, 'worker ready');

  let stopping: Promise<void> | undefined;
  const defaultGraceMs = (opts.shutdownGraceSeconds ?? 30) * 1000;
  return {
    id,
    metricsPort: metricsServer?.port ?? null,
    metrics,
    running: () => active.size,
    stop(graceMs = defaultGraceMs) {
      stopping ??= (async () => {
        logger.info({ running: active.size, graceMs }, 'worker stopping');
        // close() stops taking jobs at once and waits for running ones; past the grace we
        // interrupt them (the SQL is cancelled, the task recorded RETRY and requeued), and
        // the extra 10 s lets those interruptions be recorded before connections close.
        const closed = bee.close(graceMs + 10_000);
        const interrupt = setTimeout(() => {
          for (const controller of active.values()) controller.abort(new WorkerShutdownError());
        }, graceMs);
        try {
          await closed;
        } catch (err) {
          logger.error({ err }, 'queue did not close cleanly; unfinished tasks will be recovered by stall detection');
        } finally {
          clearTimeout(interrupt);
        }
        sweeper.stop();
        await heartbeat.stop();
        await metricsServer?.close();
        await redis.quit().catch(() => redis.disconnect());
        logger.info('worker stopped');
      })();
      return stopping;
    },
  };
}

/**
 * Serves the worker's /metrics on opts.metricsPort (none when 0). A taken port is logged and
 * the worker runs without metrics: it is more useful taking tasks than refusing to start
 * (two workers on one host need different WORKER_METRICS_PORTs).
 */
async function serveMetrics(metrics: WorkerMetrics, opts: WorkerOptions, logger: Logger) {
  if (!opts.metricsPort) return null;
  const host = opts.metricsHost ?? '127.0.0.1';
  try {
    const server = await startMetricsServer(metrics.registry, opts.metricsPort, host);
    logger.info({ url: `http://${host}:${server.port}/metrics` }, 'worker metrics listening');
    return server;
  } catch (err) {
    logger.error({ err, port: opts.metricsPort }, 'worker metrics port unavailable; this worker serves no metrics (set WORKER_METRICS_PORT)');
    return null;
  }
}
