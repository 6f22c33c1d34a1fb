// Task records, results and progress events in Redis: the one place that changes them,
// used by the producer (submit, reads) and by workers (start, progress, finish).
import type { Redis } from 'ioredis';
import { isCacheKey } from './cache-key.js';
import { parseRecord } from './record.js';
import { scriptRunner } from './scripts.js';
import { parseQueueStats, type QueueStats } from './monitor.js';
import { parseCounters, type TaskCounters } from './stats.js';
import { beeKeys } from './bee.js';
import { taskKeys } from './keys.js';
import type { TaskKind, TaskRecord, TaskResultData, TaskResultLookup, TicketStatus } from './types.js';

/**
 * TTL of a record (and its in-flight claim) while it is queued or running, renewed at
 * every change. Generous because a task may wait behind a deep queue; once it ends, the
 * record lives exactly as long as its result (RESULT_TTL_SECONDS).
 */
export const DEFAULT_ACTIVE_TTL_SECONDS = 24 * 3600;
/** A PENDING task whose bee-queue job is still missing after this long was lost by its producer. */
const ORPHAN_AFTER_MS = 30_000;

export type TaskStoreOptions = { prefix: string; resultTtlSeconds: number; activeTtlSeconds?: number };
export type SubmitDecision =
  | { status: TicketStatus; task: TaskRecord }
  | { status: 'QUEUE_FULL'; depth: number }
  | { status: 'RATE_LIMITED'; retryAfterMs: number }
  /** The data-version key holds `current` ('' = nothing), not the version the cache key was computed with: nothing was decided. */
  | { status: 'VERSION'; current: string };
/** Per-client limit of counted submissions (DEDUPLICATED and QUEUED) in a sliding window. */
export type SubmitRateLimit = { clientId: string; limit: number; windowSeconds: number };
export type StartDecision =
  | { outcome: 'STARTED' | 'TERMINAL' | 'CRASHED'; task: TaskRecord }
  | { outcome: 'MISSING' };
export type TaskStore = ReturnType<typeof createTaskStore>;

/** Creates the Redis side of tasks on `redis` (the caller owns the connection). */
export function createTaskStore(redis: Redis, opts: TaskStoreOptions) {
  const run = scriptRunner(redis);
  const keys = taskKeys(opts.prefix);
  const bee = beeKeys(opts.prefix);
  const { resultTtlSeconds } = opts;
  const channels = keys.progressChannels;
  const activeTtl = opts.activeTtlSeconds ?? DEFAULT_ACTIVE_TTL_SECONDS;
  const now = () => new Date().toISOString();
  const record = (flat: unknown): TaskRecord => {
    const r = parseRecord(flat as string[]);
    if (!r) throw new Error('Task script returned no record');
    return r;
  };

  return {
    keys,

    /**
     * Decides a submission atomically: CACHED, DEDUPLICATED, RATE_LIMITED (only when `rateLimit`
     * is given and the client is over it), QUEUE_FULL, or QUEUED with a new PENDING record `newId`.
     * With `dataVersion`, first checks that the data-version key holds that version (else VERSION).
     */
    async submit(args: { kind: TaskKind; cacheKey: string; newId: string; maxQueueDepth: number; rateLimit?: SubmitRateLimit; dataVersion?: string }): Promise<SubmitDecision> {
      const t = new Date();
      const rl = args.rateLimit;
      const limited = rl && rl.limit > 0 && rl.clientId !== '';
      const { cacheKey: ck, newId } = args;
      const [status, payload] = (await run(
        'submit',
        {
          stats: keys.stats, epoch: keys.epoch, result: keys.result(ck), inflight: keys.inflight(ck), last: keys.last(ck), newTask: keys.task(newId),
          saving: keys.saving, rateLimit: keys.rateLimit(limited ? rl.clientId : ''),
          beeJobs: bee.jobs, beeWaiting: bee.waiting, beeDelayed: bee.delayed, taskFamily: keys.families.task, dataVersion: keys.dataVersion,
        },
        {
          channels, cacheKey: ck, newId, kind: args.kind, now: t.toISOString(), nowMs: t.getTime(), activeTtl,
          maxDepth: args.maxQueueDepth, orphanMs: ORPHAN_AFTER_MS, resultTtl: resultTtlSeconds,
          rateLimit: limited ? rl.limit : 0, rateWindowMs: limited ? rl.windowSeconds * 1000 : 0,
          checkVersion: args.dataVersion === undefined ? 0 : 1, dataVersion: args.dataVersion ?? '',
        },
      )) as [string, unknown];
      if (status === 'VERSION') return { status, current: String(payload) };
      if (status === 'QUEUE_FULL') return { status, depth: Number(payload) };
      if (status === 'RATE_LIMITED') return { status, retryAfterMs: Number(payload) };
      return { status: status as TicketStatus, task: record(payload) };
    },

    /** Marks a QUEUED task's job as saved (or abandoned): it no longer counts as being saved for MAX_QUEUE_DEPTH. */
    async saved(taskId: string): Promise<void> {
      await redis.zrem(keys.saving, taskId);
    },

    /** Gives back the rate-limit slot that submission `taskId` took (its task could not be queued). */
    async refundRateSlot(clientId: string, taskId: string): Promise<void> {
      await redis.zrem(keys.rateLimit(clientId), taskId);
    },

    /** Marks the task STARTED for a new attempt (or CRASHED past `maxStalls` worker deaths). */
    async start(taskId: string, maxStalls: number): Promise<StartDecision> {
      const [outcome, payload] = (await run(
        'start',
        { task: keys.task(taskId), stats: keys.stats, inflightFamily: keys.families.inflight, lastFamily: keys.families.last },
        { channels, now: now(), activeTtl, maxStalls, resultTtl: resultTtlSeconds },
      )) as [string, unknown];
      if (outcome === 'MISSING') return { outcome };
      return { outcome: outcome as 'STARTED' | 'TERMINAL' | 'CRASHED', task: record(payload) };
    },

    /** Records PROGRESS of attempt `attempt`; false when that attempt is no longer the current one. */
    async progress(taskId: string, attempt: number, progress: number, status: string): Promise<boolean> {
      const pct = Math.max(0, Math.min(100, Math.floor(progress)));
      return (await run('progress', { task: keys.task(taskId), stats: keys.stats }, { channels, attempt, progress: pct, status, activeTtl })) === 1;
    },

    /** Stores the result, then marks the task SUCCESS; null when the attempt is no longer current. */
    async succeed(taskId: string, attempt: number, result: TaskResultData): Promise<TaskRecord | null> {
      return finish(taskId, attempt, 'SUCCESS', 'Done', '', JSON.stringify(result));
    },

    /** Marks the attempt failed with another one to come (RETRY). */
    async retry(taskId: string, attempt: number, error: string, status: string): Promise<TaskRecord | null> {
      return finish(taskId, attempt, 'RETRY', status, error);
    },

    /** Marks the task FAILURE for good. */
    async fail(taskId: string, attempt: number, error: string, status = 'Failed'): Promise<TaskRecord | null> {
      return finish(taskId, attempt, 'FAILURE', status, error);
    },

    /** The task record, or null when unknown or expired. */
    async getTask(taskId: string): Promise<TaskRecord | null> {
      return parseRecord(await redis.hgetall(keys.task(taskId)));
    },

    /** READY with the result, NOT_READY while a task for the key is in flight, FAILED when the last one failed, else NOT_FOUND. */
    async getResult(cacheKey: string): Promise<TaskResultLookup> {
      if (!isCacheKey(cacheKey)) {
        return { status: 'NOT_FOUND', message: 'This is not a cache key (expected "<kind>:<64 hex digits>").', result: null };
      }
      const [status, payload] = (await run(
        'lookup',
        { result: keys.result(cacheKey), inflight: keys.inflight(cacheKey), last: keys.last(cacheKey), taskFamily: keys.families.task },
        {},
      )) as [string, unknown];
      switch (status) {
        case 'READY':
          return { status, message: 'The result is ready.', result: JSON.parse(payload as string) as TaskResultData };
        case 'NOT_READY': {
          const t = record(payload);
          const where = t.state === 'PENDING' ? 'is waiting for a worker' : t.state === 'RETRY' ? 'is waiting to be retried' : `is running (${t.progress}%)`;
          return { status, message: `Task ${t.id} ${where}.`, result: null };
        }
        case 'FAILED':
          return { status, message: record(payload).error ?? 'The task failed.', result: null };
        default:
          return {
            status: 'NOT_FOUND',
            message: 'No result for this cache key: it was never computed or it expired. Submit the question again.',
            result: null,
          };
      }
    },

    /** Per-kind counters (tickets, tasks per state, attempts). */
    async counters(): Promise<TaskCounters> {
      return parseCounters(await redis.hgetall(keys.stats));
    },

    /** A monitoring snapshot (queueStats): one script call, cheap enough to poll every second. */
    async queueStats(maxQueueDepth: number): Promise<QueueStats> {
      const reply = await run(
        'monitor',
        {
          cacheIndex: keys.cacheIndex, stats: keys.stats, saving: keys.saving, workers: keys.workers,
          beeWaiting: bee.waiting, beeDelayed: bee.delayed, taskFamily: keys.families.task, workerFamily: keys.families.worker,
        },
        {},
      );
      return parseQueueStats(reply, maxQueueDepth);
    },
  };

  async function finish(
    taskId: string,
    attempt: number,
    outcome: 'SUCCESS' | 'RETRY' | 'FAILURE',
    status: string,
    error: string,
    resultJson = '',
  ): Promise<TaskRecord | null> {
    const [verdict, payload] = (await run(
      'finish',
      {
        task: keys.task(taskId), stats: keys.stats, cacheIndex: keys.cacheIndex,
        resultFamily: keys.families.result, inflightFamily: keys.families.inflight, lastFamily: keys.families.last,
      },
      { channels, attempt, outcome, now: now(), status, error, resultTtl: resultTtlSeconds, activeTtl, resultJson },
    )) as [string, unknown];
    return verdict === 'OK' ? record(payload) : null;
  }
}
