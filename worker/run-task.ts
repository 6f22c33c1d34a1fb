// One attempt of one task, from bee-queue's handler call to the record's final state.
// bee-queue decides WHEN a job runs (pickup, retry delays, stall re-delivery); this file
// decides WHAT the task record says and fills bee-queue's gaps: a deadline that really
// cancels the SQL, failing at once on errors retrying cannot fix, and a bound on how
// many times a task may crash its worker.
import type BeeQueue from 'bee-queue';
import type { Db } from '../src/db/prisma.js';
import type { Logger } from '../src/logger.js';
import type { WorkerMetrics } from '../src/metrics.js';
import type { ProgressUpdate } from '../src/contracts/types.js';
import {
  describeTaskError,
  InvalidPayloadError,
  isTaskKind,
  parsePayload,
  runTaskKind,
  TaskTimeoutError,
  UnrecoverableTaskError,
  WorkerShutdownError,
  type TaskJobData,
  type TaskRunOptions,
  type TaskKind,
  type TaskRecord,
  type TaskResultOf,
  type TaskStore,
} from '../src/tasks/index.js';
import { giveUpJob, nextRetryDelayMs, refundRetry, retriesLeft } from '../src/tasks/bee.js';
import { logFailure } from './failure-log.js';
import { createProgressReporter } from './progress.js';

/** After aborting, how long the engine gets to settle before the attempt is ended anyway. */
const ABORT_SETTLE_MS = 5_000;

/** Another worker took the task over (this one was presumed dead): stop quietly. */
class SupersededError extends Error {
  override name = 'SupersededError';
}

export type TaskHandlerDeps = {
  store: TaskStore;
  db: Db;
  timeoutSeconds: number;
  maxStalls: number;
  logger: Logger;
  /** Running attempts by task id, so that shutdown can interrupt them. */
  active: Map<string, AbortController>;
  /** Task durations, attempts and running tasks of this worker (Prometheus). */
  metrics?: WorkerMetrics;
  /** Where EXPORT tasks write their files and for how long they are kept. */
  files: TaskRunOptions['files'];
};

/** Seconds from a task's first start to its end, from its record (0 when either is missing). */
function taskSeconds(task: TaskRecord): number {
  const start = task.startedAt ? Date.parse(task.startedAt) : NaN;
  const end = task.finishedAt ? Date.parse(task.finishedAt) : NaN;
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, (end - start) / 1000) : 0;
}

type Job = BeeQueue.Job<TaskJobData>;

/** Creates bee-queue's job handler: runs one attempt and records its outcome. */
export function createTaskHandler(deps: TaskHandlerDeps): (job: Job) => Promise<void> {
  const { store, logger, metrics } = deps;
  /** Records a task that reached its final state in this worker. */
  const ended = (task: TaskRecord) => metrics?.taskDuration.observe({ kind: task.kind, state: task.state }, taskSeconds(task));
  const attemptEnded = (kind: string, outcome: 'success' | 'retry' | 'failure' | 'interrupted') =>
    metrics?.taskAttempts.inc({ kind, outcome });

  return async function handleTask(job: Job): Promise<void> {
    const taskId = job.id;
    const decision = await store.start(taskId, deps.maxStalls);
    if (decision.outcome === 'MISSING') {
      // Expired while waiting (see DEFAULT_ACTIVE_TTL_SECONDS), or lost by the store (its
      // clients are told so, see src/tasks/absence.ts): nobody can follow it any more.
      logger.warn({ taskId }, 'task record missing; dropping its job');
      return giveUp(job, new UnrecoverableTaskError('task record missing'));
    }
    if (decision.outcome === 'TERMINAL') {
      // Delivered again after it ended (its worker died between recording and acknowledging).
      logger.info({ taskId, state: decision.task.state }, 'task already ended; acknowledging its job');
      return;
    }
    const task = decision.task;
    if (decision.outcome === 'CRASHED') {
      logger.error({ taskId, kind: task.kind, attempts: task.attempts, error: task.error }, 'task failed: it keeps crashing its workers');
      ended(task);
      return giveUp(job, new UnrecoverableTaskError(task.error ?? 'crashed too often'));
    }

    const attempt = task.attempts;
    const log = logger.child({ taskId, kind: task.kind, attempt });
    log.info({ state: 'STARTED' }, 'task started');
    const started = Date.now();
    const controller = new AbortController();
    deps.active.set(taskId, controller);
    metrics?.tasksRunning.inc({ kind: task.kind });
    const deadline = setTimeout(() => controller.abort(new TaskTimeoutError(deps.timeoutSeconds)), deps.timeoutSeconds * 1000);
    const reporter = createProgressReporter({
      store,
      taskId,
      attempt,
      onSuperseded: () => controller.abort(new SupersededError('another worker took this task over')),
      onError: (err) => log.warn({ err }, 'could not record progress'),
    });

    try {
      const result = await runAttempt(deps, task, job.data, controller.signal, reporter.onProgress);
      await reporter.flush();
      const done = await store.succeed(taskId, attempt, result);
      if (!done) {
        log.warn('attempt superseded by another worker; its result was not recorded');
        return;
      }
      attemptEnded(task.kind, 'success');
      ended(done);
      log.info({ state: 'SUCCESS', ms: Date.now() - started, taskMs: Math.round(taskSeconds(done) * 1000) }, 'task succeeded');
    } catch (thrown) {
      await reporter.flush();
      const err = controller.signal.aborted ? controller.signal.reason : thrown;
      await recordFailure(job, task, attempt, err, thrown, log, Date.now() - started);
    } finally {
      clearTimeout(deadline);
      deps.active.delete(taskId);
      metrics?.tasksRunning.dec({ kind: task.kind });
    }
  };

  async function recordFailure(job: Job, task: TaskRecord, attempt: number, err: unknown, thrown: unknown, log: Logger, ms: number) {
    const message = describeTaskError(err);
    if (err instanceof SupersededError) {
      log.warn('attempt superseded by another worker; stopped');
      return; // acknowledged: the worker that took over owns the task now
    }
    if (err instanceof WorkerShutdownError) {
      // Not the task's fault: give the retry back, so shutdowns never use up its retries.
      refundRetry(job);
      await store.retry(task.id, attempt, message, 'Waiting for another worker');
      attemptEnded(task.kind, 'interrupted');
      log.info({ state: 'RETRY', ms }, 'task interrupted by shutdown; requeued');
      throw err;
    }
    if (err instanceof UnrecoverableTaskError || retriesLeft(job) <= 0) {
      const failed = await store.fail(task.id, attempt, message, `Failed after ${attempt} attempt${attempt === 1 ? '' : 's'}`);
      attemptEnded(task.kind, 'failure');
      if (failed) ended(failed);
      logFailure(log, { state: 'FAILURE', ms }, err instanceof UnrecoverableTaskError ? err : thrown, 'task failed');
      return giveUp(job, err instanceof Error ? err : new Error(message));
    }
    const delayMs = nextRetryDelayMs(job);
    const when = delayMs > 0 ? `in ${formatSeconds(delayMs)}` : 'now';
    await store.retry(task.id, attempt, message, `Attempt ${attempt} failed; retrying ${when}`);
    attemptEnded(task.kind, 'retry');
    logFailure(log, { state: 'RETRY', ms, retryInMs: delayMs }, thrown, 'task attempt failed; will retry');
    throw err;
  }
}

/** Checks the job against its task record, then runs the task's kind (re-validated payload, engine call) under the attempt's signal. */
async function runAttempt(
  deps: TaskHandlerDeps,
  task: TaskRecord,
  data: TaskJobData,
  signal: AbortSignal,
  onProgress: (update: ProgressUpdate) => void,
): Promise<TaskResultOf> {
  const kind: unknown = task.kind;
  if (!isTaskKind(kind) || data?.kind !== kind) {
    throw new InvalidPayloadError(`Invalid task payload: kind "${String(data?.kind)}" does not match task kind "${String(kind)}".`);
  }
  const work = runKind(deps.db, kind, data.input, { signal, onProgress, files: deps.files });
  const onAbandon = () => deps.logger.error({ taskId: task.id }, `engine did not stop within ${ABORT_SETTLE_MS} ms of being aborted; abandoning it`);
  return settleOrAbandon(work, signal, onAbandon);
}

/** Re-validates a queued payload as kind K's input (InvalidPayloadError: fails at once) and runs K's engine call. */
async function runKind<K extends TaskKind>(db: Db, kind: K, input: unknown, opts: TaskRunOptions): Promise<TaskResultOf<K>> {
  let payload;
  try {
    payload = parsePayload(kind, input);
  } catch (err) {
    throw new InvalidPayloadError(`Invalid task payload: ${(err as Error).message}`);
  }
  return runTaskKind(kind, db, payload, opts);
}

/**
 * Waits for the engine. Once the signal fires, the engine (which cancels its SQL on abort)
 * gets ABORT_SETTLE_MS to reject; past that the attempt ends anyway, so a stuck call can
 * never hold a worker slot forever.
 */
function settleOrAbandon<T>(work: Promise<T>, signal: AbortSignal, onAbandon: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(() => {
        onAbandon();
        reject(signal.reason);
      }, ABORT_SETTLE_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}

/** Makes bee-queue fail the job now, with no retry left. */
function giveUp(job: Job, err: Error): never {
  giveUpJob(job);
  throw err;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
