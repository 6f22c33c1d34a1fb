// The budget of synchronous engine questions (searchContracts, contractAnalytics,
// analyticsTable asked as queries): at most SYNC_CONCURRENCY at once per API process, each
// within SYNC_TIMEOUT_MS counted from the moment it is asked (waiting for a slot included),
// and cancelled when its client goes away. Past the budget the running PostgreSQL
// statement is cancelled (the engine's AbortSignal: pg_cancel_backend) and the client gets
// QUERY_TIMEOUT, telling it to submit the question as a task.
//
// One client holds at most half of the slots (rounded up), so a single client cannot keep
// everybody else waiting; its further questions wait for its own earlier ones, within the
// same budget.
//
// It wraps the engine the context hands to resolvers, so resolvers do not know about it.
// Tasks (the worker) call the engine directly, with TASK_TIMEOUT_SECONDS instead.
import { CancelledError, ClientGoneError, QueryTimeoutError } from '../errors.js';
import type { QueryEngine } from '../schema/context.js';
import type { RunOptions } from '../contracts/types.js';

export type SyncBudgetOptions = {
  timeoutMs: number;
  concurrency: number;
};

/** The mutation that asks the same question as a task, for QUERY_TIMEOUT's message. */
const SUBMIT_MUTATION = {
  searchContracts: 'submitSearch',
  contractAnalytics: 'submitAnalytics',
  analyticsTable: 'submitAnalyticsTable',
} as const;
type EngineQuestion = keyof typeof SUBMIT_MUTATION;

/** A counting semaphore whose waiters give up when their signal aborts. */
class Semaphore {
  private free: number;
  private readonly waiters: (() => void)[] = [];
  constructor(private readonly size: number) {
    this.free = size;
  }
  get waiting(): number {
    return this.waiters.length;
  }
  get running(): number {
    return this.size - this.free;
  }
  /** Resolves with a release function once a slot is free; rejects with the signal's reason if it aborts first. */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const release = once(() => {
      const next = this.waiters.shift();
      if (next) next();
      else this.free += 1;
    });
    if (this.free > 0) {
      this.free -= 1;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        resolve(release);
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal.reason);
      };
      this.waiters.push(grant);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

export type SyncBudget = {
  /**
   * `engine` with `clientId`'s synchronous questions under the budget; `clientSignal` aborts
   * when the client goes away. It may be given as a function, read only when a question is
   * asked: a request's signal costs an AbortController (and its abort a DOMException) that
   * the many operations asking no engine question need not pay for.
   */
  engineFor(engine: QueryEngine, clientId: string, clientSignal?: AbortSignal | (() => AbortSignal | undefined)): QueryEngine;
  /** Questions running now, and waiting for a slot (their client's or the process's). */
  load(): { running: number; waiting: number };
};

/** Creates one API process's budget. */
export function createSyncBudget(opts: SyncBudgetOptions): SyncBudget {
  const slots = new Semaphore(opts.concurrency);
  const perClient = Math.ceil(opts.concurrency / 2);
  // A client's own slots, while it has questions in flight (dropped when it has none).
  const clients = new Map<string, { slots: Semaphore; inFlight: number }>();

  /** Takes one of the client's own slots, then one of the process's; resolves with their release. */
  async function acquire(clientId: string, signal: AbortSignal): Promise<() => void> {
    let client = clients.get(clientId);
    if (!client) clients.set(clientId, (client = { slots: new Semaphore(perClient), inFlight: 0 }));
    client.inFlight += 1;
    const leave = once(() => {
      client.inFlight -= 1;
      if (client.inFlight === 0) clients.delete(clientId);
    });
    let releaseOwn: (() => void) | undefined;
    try {
      releaseOwn = await client.slots.acquire(signal);
      const releaseShared = await slots.acquire(signal);
      return once(() => {
        releaseShared();
        releaseOwn!();
        leave();
      });
    } catch (err) {
      releaseOwn?.();
      leave();
      throw err;
    }
  }

  async function within<T>(question: EngineQuestion, clientId: string, clientSignal: AbortSignal | undefined, callerOpts: RunOptions | undefined, run: (o: RunOptions) => Promise<T>): Promise<T> {
    const timeout = new QueryTimeoutError(
      `${question} did not finish within ${opts.timeoutMs} ms and was cancelled. ` +
        `Ask the same question with the ${SUBMIT_MUTATION[question]} mutation instead: it runs as a task without this limit, ` +
        'and taskProgress / taskResult give its answer.',
      { timeoutMs: opts.timeoutMs, submitWith: SUBMIT_MUTATION[question] },
    );
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(timeout), opts.timeoutMs);
    const signals = [controller.signal, clientSignal, callerOpts?.signal].filter((s): s is AbortSignal => !!s);
    const signal = signals.length === 1 ? controller.signal : AbortSignal.any(signals);
    try {
      const release = await acquire(clientId, signal);
      try {
        if (signal.aborted) throw signal.reason;
        // The engine cancels its statement on abort and settles only once the cancel is done,
        // so the slot is released when PostgreSQL has really stopped.
        return await run({ ...callerOpts, signal });
      } finally {
        release();
      }
    } catch (err) {
      if (controller.signal.aborted && (err === timeout || err instanceof CancelledError)) throw timeout;
      // Logged as an expected condition, not as an unexpected failure.
      if (clientSignal?.aborted) throw new ClientGoneError('The client went away; its question was cancelled.');
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    engineFor(engine, clientId, clientSignal) {
      const signal = typeof clientSignal === 'function' ? clientSignal : () => clientSignal;
      // Built for every operation: four closures, nothing copied from `engine`.
      return {
        filterOptions: (db, input) => engine.filterOptions(db, input),
        searchContracts: (db, input, o) => within('searchContracts', clientId, signal(), o, (ro) => engine.searchContracts(db, input, ro)),
        contractAnalytics: (db, input, o) => within('contractAnalytics', clientId, signal(), o, (ro) => engine.contractAnalytics(db, input, ro)),
        analyticsTable: (db, input, o) => within('analyticsTable', clientId, signal(), o, (ro) => engine.analyticsTable(db, input, ro)),
      };
    },
    load: () => ({ running: slots.running, waiting: slots.waiting + [...clients.values()].reduce((n, c) => n + c.slots.waiting, 0) }),
  };
}
