// The bee-queue queue shared by producers and workers. bee-queue brings the waiting list,
// blocking pickup, retries with backoff and stall detection; task state, results and
// progress live in our own records (store.ts), because bee-queue keeps none of them.
//
// This is the one file that reaches into bee-queue 2.x beyond its documented API: its
// private script loader (`bee-queue/lib/lua`), its command connection (`queue.client`),
// the retry counter of a job (`job.options.retries`) and the names of its Redis keys.
// test/tasks/bee.test.ts fails if an upgrade changes any of them.
import { createRequire } from 'node:module';
import BeeQueue from 'bee-queue';
import { beePrefixOf } from './keys.js';
import type { TaskKind } from './types.js';

/** bee-queue queue name; its keys live under `<prefix>:bq:tasks:`. */
export const BEE_QUEUE_NAME = 'tasks';

/** What a bee-queue job carries: the kind and the canonical input. The job id is the task id. */
export type TaskJobData = { kind: TaskKind; input: unknown };
export type TaskBeeQueue = BeeQueue<TaskJobData>;
export type TaskJob = BeeQueue.Job<TaskJobData>;

export type BeeQueueOptions = {
  redisUrl: string;
  prefix: string;
  /** Present for worker queues: blocking pickup, stall detection, delayed-retry activation. */
  worker?: { stallIntervalMs: number };
  /** Called when reloading bee-queue's scripts after a reconnect fails. */
  onError?: (err: Error) => void;
};

/** bee-queue's private script loader (lib/lua): it loads its Lua scripts once, at connect. */
type BeeScripts = { buildCache(client: unknown): Promise<unknown>; shas: Record<string, string> };
/** bee-queue's command connection (a node_redis 3 client), which it does not expose. */
type BeeCommandClient = { on(event: 'ready', fn: () => void): void };

/** bee-queue's private script module. */
export function beeScripts(): BeeScripts {
  return createRequire(import.meta.url)('bee-queue/lib/lua') as BeeScripts;
}

/** bee-queue's command connection of `queue` (set once the queue is ready). */
export function beeClient(queue: TaskBeeQueue): BeeCommandClient {
  return (queue as unknown as { client: BeeCommandClient }).client;
}

/**
 * The keys bee-queue keeps for the deployment's queue that our scripts read: `waiting`
 * (list, LPUSHed, popped from the right), `delayed` (zset of retries by due time, ms) and
 * `jobs` (hash job id -> job JSON).
 */
export function beeKeys(prefix: string) {
  const base = `${beePrefixOf(prefix)}:${BEE_QUEUE_NAME}:`;
  return { waiting: `${base}waiting`, delayed: `${base}delayed`, jobs: `${base}jobs` };
}

/** Creates the deployment's bee-queue queue (producer side, or worker side with `worker`). */
export function createBeeQueue(opts: BeeQueueOptions): TaskBeeQueue {
  const isWorker = opts.worker !== undefined;
  const queue = new BeeQueue<TaskJobData>(BEE_QUEUE_NAME, {
    prefix: beePrefixOf(opts.prefix),
    redis: {
      url: opts.redisUrl,
      // node_redis gives up reconnecting after an hour by default; a queue must outlive
      // any Redis outage, so reconnect forever (at most every 2 s).
      retry_strategy: ({ attempt }: { attempt: number }) => Math.min(attempt * 100, 2000),
    } as BeeQueue.QueueSettings['redis'],
    isWorker,
    // bee-queue's job events and stored job objects are unused: our records are the truth.
    getEvents: false,
    sendEvents: false,
    storeJobs: false,
    // Retries with backoff sit in bee-queue's delayed set; every worker moves them back
    // to waiting when due. 100 ms groups near-simultaneous retries without delaying them noticeably.
    activateDelayedJobs: isWorker,
    delayedDebounce: 100,
    // Besides reacting to new retries, each worker re-checks the delayed set at least this
    // often, so a retry whose activation was missed (Redis outage) waits one minute, not 20.
    nearTermWindow: 60_000,
    // Finished jobs are deleted: the task record keeps the outcome, and bee-queue's sets
    // would otherwise grow forever.
    removeOnSuccess: true,
    removeOnFailure: true,
    ...(opts.worker ? { stallInterval: opts.worker.stallIntervalMs } : {}),
  });
  // A restarted Redis has an empty script cache, and bee-queue would answer NOSCRIPT for
  // ever after: reload its scripts on every reconnect of its command connection.
  queue
    .ready()
    .then(() => {
      beeClient(queue).on('ready', () => void reloadBeeScripts(queue).catch((err: Error) => opts.onError?.(err)));
    })
    .catch((err: Error) => opts.onError?.(err));
  return queue;
}

/** Loads bee-queue's Lua scripts into Redis if they are missing (after a Redis restart). */
export function reloadBeeScripts(queue: TaskBeeQueue): Promise<unknown> {
  return beeScripts().buildCache(beeClient(queue));
}

/** True for Redis's "script not loaded" error. */
export function isNoScriptError(err: unknown): boolean {
  return /NOSCRIPT/.test(String((err as Error)?.message ?? err));
}

/** Retries bee-queue will still grant the job if this attempt fails (it decrements the count per retry). */
export function retriesLeft(job: TaskJob): number {
  return job.options.retries ?? 0;
}

/** How long bee-queue waits before the job's next retry: its exponential backoff waits options.backoff.delay, then doubles it (0: at once). */
export function nextRetryDelayMs(job: TaskJob): number {
  return job.options.backoff?.delay ?? 0;
}

/** Makes bee-queue fail the job for good when the handler rejects next: no retry left. */
export function giveUpJob(job: TaskJob): void {
  job.options.retries = 0;
}

/** Gives the job back the retry that the failure about to be reported will use (an attempt that was not its fault). */
export function refundRetry(job: TaskJob): void {
  job.options.retries = retriesLeft(job) + 1;
}
