// The bee-queue queue shared by producers and workers. bee-queue brings the waiting list,
// blocking pickup, retries with backoff and stall detection; task state, results and
// progress live in our own records (store.ts), because bee-queue keeps none of them.
import BeeQueue from 'bee-queue';
import { BEE_QUEUE_NAME, taskKeys } from './keys.js';
import type { TaskKind } from './types.js';

/** What a bee-queue job carries: the kind and the canonical input. The job id is the task id. */
export type TaskJobData = { kind: TaskKind; input: unknown };
export type TaskBeeQueue = BeeQueue<TaskJobData>;

export type BeeQueueOptions = {
  redisUrl: string;
  prefix: string;
  /** Present for worker queues: blocking pickup, stall detection, delayed-retry activation. */
  worker?: { stallIntervalMs: number };
};

/** Creates the deployment's bee-queue queue (producer side, or worker side with `worker`). */
export function createBeeQueue(opts: BeeQueueOptions): TaskBeeQueue {
  const isWorker = opts.worker !== undefined;
  return new BeeQueue<TaskJobData>(BEE_QUEUE_NAME, {
    prefix: taskKeys(opts.prefix).beePrefix,
    redis: { url: opts.redisUrl } as BeeQueue.QueueSettings['redis'],
    isWorker,
    // bee-queue's job events and stored job objects are unused: our records are the truth.
    getEvents: false,
    sendEvents: false,
    storeJobs: false,
    // Retries with backoff sit in bee-queue's delayed set; every worker moves them back
    // to waiting when due. 100 ms groups near-simultaneous retries without delaying them noticeably.
    activateDelayedJobs: isWorker,
    delayedDebounce: 100,
    // Finished jobs are deleted: the task record keeps the outcome, and bee-queue's sets
    // would otherwise grow forever.
    removeOnSuccess: true,
    removeOnFailure: true,
    ...(opts.worker ? { stallInterval: opts.worker.stallIntervalMs } : {}),
  });
}
