// The stream behind the taskProgress subscription.
//
// Workers write the task record to Redis and then PUBLISH the event. A late or unlucky
// subscriber could read the record just before an event it never receives, so the order
// here is: subscribe, wait until Redis confirms the subscription, read the record, send
// it, then forward only events newer than what was sent. Events published between the
// subscription and the read are older than (or equal to) the record and are dropped.
// If nothing arrives for `pollIntervalMs`, the record is re-read: pub/sub is
// fire-and-forget, so an event lost while Redis restarted must not leave a client
// waiting forever for a SUCCESS that already happened.
import type { Repeater } from 'graphql-yoga';
import { NotFoundError, ServiceUnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { FollowTask } from '../schema/context.js';
import type { TaskAbsence } from '../tasks/absence.js';
import { eventOf } from '../tasks/record.js';
import { TERMINAL_STATES, type TaskEvent, type TaskRecord, type TaskState } from '../tasks/types.js';

export type TaskFollowDeps = {
  /** pubsub.subscribe(progressTopic, taskId) of yoga's createPubSub over the Redis event target. */
  subscribe: (taskId: string) => Repeater<TaskEvent>;
  /** Resolves once every SUBSCRIBE sent so far is active in Redis; rejects when Redis does not confirm them (in time). */
  subscriptionsActive: () => Promise<void>;
  getTask: (taskId: string) => Promise<TaskRecord | null>;
  /** Why a task has no record: lost by the store (submit again), expired, or unknown. Default: unknown. */
  explainMissing?: (taskId: string) => Promise<TaskAbsence>;
  pollIntervalMs: number;
  logger: Logger;
};

const isTerminal = (state: TaskState): boolean => TERMINAL_STATES.includes(state);

// Order of states within one attempt; RETRY ends an attempt and is handled apart.
const RANK: Record<TaskState, number> = { PENDING: 0, STARTED: 1, PROGRESS: 2, RETRY: 3, SUCCESS: 4, FAILURE: 4 };

const sameEvent = (a: TaskEvent, b: TaskEvent): boolean =>
  a.state === b.state && a.progress === b.progress && a.status === b.status && a.error === b.error;

/**
 * Whether `next` is news after `last` was sent. Events carry no sequence number, so this
 * relies on the task's own ordering: final states end everything; a RETRY starts a new
 * attempt; within an attempt the state rank and progress never go back.
 */
export function isNewer(last: TaskEvent, next: TaskEvent): boolean {
  if (isTerminal(last.state) || sameEvent(last, next)) return false;
  if (isTerminal(next.state)) return true;
  if (last.state === 'RETRY') return true; // anything after a retry belongs to the next attempt
  if (next.state === 'RETRY') return true;
  if (next.progress < last.progress || RANK[next.state] < RANK[last.state]) return false;
  return true;
}


/** The NOT_FOUND error for a task without a record: extensions { taskId, reason } and why, for people. */
async function missingTask(taskId: string, deps: TaskFollowDeps): Promise<NotFoundError> {
  const why = (await deps.explainMissing?.(taskId).catch(() => undefined)) ?? {
    reason: 'UNKNOWN',
    message: `There is no task "${taskId}": it was never submitted or has expired.`,
  };
  return new NotFoundError(why.message, { taskId, reason: why.reason });
}

const TIMEOUT = Symbol('timeout');

function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMEOUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMEOUT), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Task ids are UUIDs (src/tasks/queue.ts); anything else is refused without asking Redis. */
const TASK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `taskId` has the shape of a task id (a UUID). */
export function isTaskId(taskId: string): boolean {
  return TASK_ID.test(taskId);
}

function notFound(taskId: string): NotFoundError {
  return new NotFoundError(`There is no task "${taskId.slice(0, 100)}": it was never submitted or has expired.`, { taskId: taskId.slice(0, 100) });
}

/**
 * Builds ctx.followTask: throws NotFoundError for an unknown task, else returns its event stream.
 * A malformed id costs no Redis command and an unknown one a single read: the record is read
 * once before subscribing (so strangers' ids never open a subscription), and again after
 * the subscription is confirmed (so no event between the two is missed).
 */
export function createTaskFollower(deps: TaskFollowDeps): FollowTask {
  return async (taskId) => {
    if (!isTaskId(taskId)) throw notFound(taskId);
    if (!(await deps.getTask(taskId))) throw await missingTask(taskId, deps);
    const source = deps.subscribe(taskId);
    // The first next() runs the Repeater's executor, which registers the listener and
    // sends SUBSCRIBE; its promise is kept and awaited later as the first event.
    const firstEvent = source.next();
    let record: TaskRecord | null;
    try {
      // Not confirmed (in time): Redis is not answering on the subscriber connection.
      await deps.subscriptionsActive().catch((err: unknown) => {
        throw new ServiceUnavailableError('redis', undefined, { cause: err });
      });
      record = await deps.getTask(taskId);
    } catch (err) {
      await source.return();
      throw err;
    }
    if (!record) {
      await source.return();
      throw await missingTask(taskId, deps);
    }
    const initial = eventOf(record);
    return stoppable((stopped) => stream(taskId, initial, source, firstEvent, deps, stopped));
  };
}

const STOPPED = Symbol('stopped');

/**
 * An async generator whose return() takes effect at once. A plain generator that is
 * awaiting (here: the next event of a task that may stay PENDING for hours) queues
 * return() until its next yield, so a client that went away would keep its Redis
 * subscription until the task's next change. return() here first resolves `stopped`,
 * which the generator races against its waits, then returns the generator.
 */
function stoppable<T>(make: (stopped: Promise<typeof STOPPED>) => AsyncGenerator<T>): AsyncGenerator<T> {
  let stop!: () => void;
  const stopped = new Promise<typeof STOPPED>((resolve) => {
    stop = () => resolve(STOPPED);
  });
  const gen = make(stopped);
  const wrapper: AsyncGenerator<T> = {
    next: (...args) => gen.next(...args),
    return: (value) => {
      stop();
      return gen.return(value);
    },
    throw: (err) => {
      stop();
      return gen.throw(err);
    },
    [Symbol.asyncIterator]: () => wrapper,
  };
  return wrapper;
}

async function* stream(
  taskId: string,
  initial: TaskEvent,
  source: Repeater<TaskEvent>,
  firstEvent: Promise<IteratorResult<TaskEvent>>,
  deps: TaskFollowDeps,
  stopped: Promise<typeof STOPPED>,
): AsyncGenerator<TaskEvent> {
  let last = initial;
  let pending = firstEvent;
  try {
    yield last;
    while (!isTerminal(last.state)) {
      const got = await Promise.race([within(pending, deps.pollIntervalMs), stopped]);
      if (got === STOPPED) return;
      let candidate: TaskEvent | null = null;
      if (got === TIMEOUT) {
        const record = await deps.getTask(taskId).catch((err: unknown) => {
          // Redis is down: keep the subscription open; ioredis resubscribes when it returns.
          deps.logger.warn({ err, taskId }, 'Could not re-read task record; will retry');
          return undefined;
        });
        // The record vanished mid-stream: lost by the store, or (rarely) expired while queued.
        if (record === null) throw await missingTask(taskId, deps);
        candidate = record ? eventOf(record) : null;
      } else {
        if (got.done) return;
        pending = source.next();
        candidate = got.value;
      }
      if (candidate && isNewer(last, candidate)) {
        last = candidate;
        yield last;
      }
    }
  } finally {
    // Unsubscribes from the channel (the last listener of a channel sends UNSUBSCRIBE).
    await source.return();
  }
}
