// The producer: validates a question, computes its cache key and answers with a ticket
// (CACHED, DEDUPLICATED or QUEUED). Used by the API; reads never touch PostgreSQL, and
// neither do submissions while the data version is known in Redis (data-version.ts).
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { dataLoadRunning, getDataVersion } from '../db/dataset.js';
import type { Db } from '../db/prisma.js';
import { QueueFullError, ServiceUnavailableError, ValidationError } from '../errors.js';
import { createAbsenceExplainer, TaskLostError, type TaskAbsence } from './absence.js';
import { createBeeQueue, isNoScriptError, reloadBeeScripts } from './bee.js';
import { cacheKeyFor } from './cache-key.js';
import { createDataVersionCache } from './data-version.js';
import { isTaskKind, prepareTask } from './kinds.js';
import type { QueueStats } from './monitor.js';
import { rateLimitedError } from './rate-limit.js';
import { redisCall } from './redis-errors.js';
import type { TaskCounters } from './stats.js';
import { createTaskStore, DEFAULT_ACTIVE_TTL_SECONDS, type SubmitDecision } from './store.js';
import { newTaskId } from './task-id.js';
import type { TaskKind, TaskPayloads, TaskRecord, TaskResultLookup, TaskTicket, TicketStatus } from './types.js';

export type TaskQueueOptions = {
  redisUrl: string;
  /** QUEUE_PREFIX: every key and channel starts with it. */
  prefix: string;
  resultTtlSeconds: number;
  /** Retries after a failed attempt (TASK_MAX_RETRIES). */
  maxRetries: number;
  /** Delay before the first retry, doubled for each further one (TASK_RETRY_BACKOFF_MS, default 1000). */
  retryBackoffMs?: number;
  /** Waiting tasks (queued + awaiting retry) past which submit throws QueueFullError; 0 = unlimited. */
  maxQueueDepth?: number;
  /** SUBMIT_RATE_LIMIT: counted submissions (DEDUPLICATED, QUEUED) per client and window; 0 or absent = no limit. */
  submitRateLimit?: number;
  /** SUBMIT_RATE_WINDOW_SECONDS (default 3600). */
  submitRateWindowSeconds?: number;
  /** Where the data version comes from when Redis does not hold it (data-version.ts). */
  db: Db;
  /** How long the data version read from Redis is trusted without a load saying so (default VERSION_TTL_MS). */
  dataVersionTtlMs?: number;
  /** Called with Redis connection errors (they also reject the calls that hit them). */
  onError?: (err: Error) => void;
};

/** Who submits: `clientId` (the caller's address) is the key of the per-client rate limit; absent = not limited. */
export type SubmitContext = { clientId?: string };

export type TaskQueue = {
  /**
   * Validates `input` (ValidationError: nothing queued) and answers with a CACHED, DEDUPLICATED or QUEUED ticket.
   * Throws RateLimitedError when `ctx.clientId` is over SUBMIT_RATE_LIMIT (never for CACHED answers) and
   * QueueFullError at MAX_QUEUE_DEPTH; neither queues anything.
   */
  submit<K extends TaskKind>(kind: K, input: TaskPayloads[K], ctx?: SubmitContext): Promise<TaskTicket>;
  /** The task record from Redis, or null when unknown or expired. */
  getTask(taskId: string): Promise<TaskRecord | null>;
  /** Like getTask, but throws TaskLostError (NOT_FOUND) when the store lost a task that cannot have expired yet. */
  findTask(taskId: string): Promise<TaskRecord | null>;
  /** Why there is no record of `taskId` (LOST, EXPIRED or UNKNOWN), with a message for the client. */
  explainMissingTask(taskId: string): Promise<TaskAbsence>;
  /** The result lookup for a cache key, from Redis. */
  getResult(cacheKey: string): Promise<TaskResultLookup>;
  /** Per-kind counters for monitoring. */
  counters(): Promise<TaskCounters>;
  /** Monitoring snapshot: tasks per kind and state, live workers, cache, oldest waiting task (Redis only). */
  stats(): Promise<QueueStats>;
  /** graphql-yoga pub/sub routing key of progress events; a task's channel is `${progressTopic}:${taskId}`. */
  progressTopic: string;
  /** Closes the Redis connections. */
  close(): Promise<void>;
};

const TICKET_MESSAGES: Record<TicketStatus, string> = {
  QUEUED: 'Queued as a new task.',
  CACHED: 'Answered from the cache: the result is ready.',
  DEDUPLICATED: 'An identical task is already queued or running; this ticket follows it.',
};
// What a client is told when a task-store call finds Redis not answering (REDIS_UNAVAILABLE).
const REDIS_DOWN = 'Redis is not available; try again shortly.';
// A job that cannot be saved within this time fails its task instead of hanging the request.
const SAVE_TIMEOUT_MS = 10_000;

/** The producer options of a deployment's Config (the retry backoff is a job option, so it is set here). */
export function taskQueueOptionsFromConfig(config: Config, db: Db): TaskQueueOptions {
  return {
    redisUrl: config.redisUrl,
    prefix: config.queuePrefix,
    resultTtlSeconds: config.resultTtlSeconds,
    maxRetries: config.taskMaxRetries,
    retryBackoffMs: config.taskRetryBackoffMs,
    maxQueueDepth: config.maxQueueDepth,
    submitRateLimit: config.submitRateLimit,
    submitRateWindowSeconds: config.submitRateWindowSeconds,
    db,
  };
}

/** Creates the producer side of the task system; it connects to Redis at once (commands wait for the connection). */
export function createTaskQueue(opts: TaskQueueOptions): TaskQueue {
  // Few retries per command: an API request should fail fast with REDIS_UNAVAILABLE, not hang.
  // Auto-pipelining: the submissions and lookups of concurrent requests share writes.
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  redis.on('error', (err: Error) => opts.onError?.(err));
  const store = createTaskStore(redis, { prefix: opts.prefix, resultTtlSeconds: opts.resultTtlSeconds });
  const bee = createBeeQueue({ redisUrl: opts.redisUrl, prefix: opts.prefix, ...(opts.onError ? { onError: opts.onError } : {}) });
  bee.on('error', (err: Error) => opts.onError?.(err));
  const backoffMs = opts.retryBackoffMs ?? 1000;
  const versions = createDataVersionCache({
    redis,
    key: store.keys.dataVersion,
    readVersion: () => getDataVersion(opts.db),
    loadRunning: () => dataLoadRunning(opts.db),
    ...(opts.dataVersionTtlMs ? { ttlMs: opts.dataVersionTtlMs } : {}),
  });
  const absence = createAbsenceExplainer(redis, store.keys, { resultTtlSeconds: opts.resultTtlSeconds, activeTtlSeconds: DEFAULT_ACTIVE_TTL_SECONDS });

  async function saveJob(taskId: string, kind: TaskKind, input: unknown): Promise<void> {
    let job = bee.createJob({ kind, input }).setId(taskId).retries(opts.maxRetries);
    if (opts.maxRetries > 0) job = job.backoff('exponential', backoffMs);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`saving the job took more than ${SAVE_TIMEOUT_MS} ms`)), SAVE_TIMEOUT_MS);
    });
    try {
      await Promise.race([
        job.save().catch(async (err: unknown) => {
          // Redis restarted and lost bee-queue's scripts, and this save raced their reload.
          if (!isNoScriptError(err)) throw err;
          await reloadBeeScripts(bee);
          return job.save();
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    progressTopic: store.keys.progressTopic,

    async submit(kind, input, ctx = {}) {
      if (!isTaskKind(kind)) throw new ValidationError('kind', `unknown task kind "${String(kind)}"`);
      const { normalized, payload } = prepareTask(kind, input);
      const clientId = ctx.clientId ?? '';
      const rateLimit = { clientId, limit: opts.submitRateLimit ?? 0, windowSeconds: opts.submitRateWindowSeconds ?? 3600 };
      const newId = newTaskId();
      // The cache key carries the data version (data-version.ts): usually the one last seen in
      // Redis, which the script checks atomically with its decision; when Redis holds another,
      // the script decides nothing and the key is computed again. src/db throws
      // DATABASE_UNAVAILABLE when PostgreSQL is asked and does not answer.
      let version = await redisCall(() => versions.guess(), REDIS_DOWN);
      let cacheKey: string;
      let decision: SubmitDecision;
      for (let tries = 1; ; tries++) {
        cacheKey = cacheKeyFor(kind, normalized, version.version);
        const args = { kind, cacheKey, newId, maxQueueDepth: opts.maxQueueDepth ?? 0, rateLimit, ...(version.checked ? { dataVersion: version.version } : {}) };
        decision = await redisCall(() => store.submit(args), REDIS_DOWN);
        if (decision.status !== 'VERSION') break;
        const current = decision.current;
        // Versions changing at every try (loads back to back) end in PostgreSQL's, unchecked.
        version = await redisCall(() => (tries < 3 ? versions.refuted(current) : versions.fromDatabase()), REDIS_DOWN);
      }
      if (decision.status === 'QUEUE_FULL') {
        throw new QueueFullError(`The task queue is full (${decision.depth} tasks waiting); try again later.`, {
          depth: decision.depth,
        });
      }
      if (decision.status === 'RATE_LIMITED') throw rateLimitedError(decision.retryAfterMs, rateLimit);
      let task = decision.task;
      if (decision.status === 'QUEUED') {
        try {
          const saving = saveJob(task.id, kind, payload);
          // The "being saved" mark is removed by a command sent before this returns, not
          // awaited: commands on one connection run in order, so this producer's next
          // submission already counts the depth without it; another producer may count the
          // task twice for an instant, which errs on refusing (submit.lua, step 4).
          if (opts.maxQueueDepth) saving.finally(() => store.saved(task.id).catch(() => {})).catch(() => {});
          await saving;
        } catch (err) {
          // Nothing may stay PENDING without a job: fail the task and release its key, and
          // give the client back the rate-limit slot of a task that never ran.
          task = (await store.fail(task.id, 0, 'The task could not be queued.').catch(() => null)) ?? task;
          if (clientId) await store.refundRateSlot(clientId, task.id).catch(() => {});
          throw new ServiceUnavailableError('redis', 'The task queue is not available; try again shortly.', { cause: err });
        }
      }
      return { status: decision.status, taskId: task.id, cacheKey, message: TICKET_MESSAGES[decision.status], task };
    },

    getTask: (taskId) => redisCall(() => store.getTask(taskId), REDIS_DOWN),
    findTask: (taskId) =>
      redisCall(async () => {
        const task = await store.getTask(taskId);
        if (task) return task;
        const why = await absence.explainTask(taskId);
        if (why.reason === 'LOST') throw new TaskLostError(taskId, why.message);
        return null;
      }, REDIS_DOWN),
    explainMissingTask: (taskId) => redisCall(() => absence.explainTask(taskId), REDIS_DOWN),
    getResult: (cacheKey) => redisCall(async () => absence.explainResult(cacheKey, await store.getResult(cacheKey)), REDIS_DOWN),
    counters: () => redisCall(() => store.counters(), REDIS_DOWN),
    stats: () => redisCall(() => store.queueStats(opts.maxQueueDepth ?? 0), REDIS_DOWN),

    async close() {
      await Promise.allSettled([bee.close(), redis.quit()]);
    },
  };
}

