// Runs one engine call as a sequence of real steps on ONE PostgreSQL connection, tagged
// with an application_name of its own for the call's duration, so that an AbortSignal can
// cancel the statement that is running (pg_cancel_backend of the backend with that tag),
// and a progress callback hears about each finished step.
//
// Why a transaction: Prisma hands out pooled connections per statement; an interactive
// transaction pins one connection for the whole call. REPEATABLE READ also makes every
// step see the same snapshot, so the summary, the charts and the pages of one call agree
// even while a load is committing.
//
// Cancel safety: pg_cancel_backend interrupts whatever that backend runs at that moment.
// It is only ever sent while our transaction holds the connection, and the transaction
// does not finish before the cancel request has completed; a cancel that reaches an idle
// backend is a no-op in PostgreSQL. So a cancel can never hit a statement of another call
// that later reuses the pooled connection.
import { randomBytes } from 'node:crypto';
//
// Failures: a database that does not answer is ServiceUnavailableError (src/db/errors.ts);
// a statement PostgreSQL refuses propagates as it is, an unexpected error.
import { CancelledError } from '../errors.js';
import { databaseError } from '../db/errors.js';
import type { Db } from '../db/prisma.js';
import { Prisma } from '../generated/prisma/client.js';
import { ROLLUP_TABLES } from '../data/rollups.js';
import { ROLLUP_KEY_SQL } from './month-cells.js';
import type { RunOptions } from './types.js';

/** What a load swaps: the contracts, their keyword table and the rollups (fixed names only). */
const LOCK_SQL = `LOCK TABLE contracts, contract_search, ${ROLLUP_TABLES.join(', ')} IN ACCESS SHARE MODE`;

// Prisma's interactive transactions time out after 5 s by default; engine calls on millions
// of rows legitimately run longer. Deadlines are the caller's business (TASK_TIMEOUT_SECONDS
// aborts the signal), this is only a backstop against a leaked transaction.
const TRANSACTION_TIMEOUT_MS = 60 * 60 * 1000;
// Waiting for a pooled connection is better than failing when all are busy.
const CONNECTION_WAIT_MS = 60 * 1000;

/** What a step of an engine call can do: run a statement, and report that a step finished. */
export type StepRunner = {
  /** Runs one statement on the call's connection; rejects with CancelledError once aborted. */
  query<T>(sql: Prisma.Sql): Promise<T[]>;
  /** Runs one statement that returns no rows (CREATE TABLE AS ...) and gives its row count. */
  execute(sql: Prisma.Sql): Promise<number>;
  /** True when the rollups describe this call's snapshot of the contracts (same dataset version); read once, when first asked. */
  rollupsValid(): Promise<boolean>;
  /** The rollups' identity in this call's snapshot (version, row version, build time), null when they are not valid. */
  rollupKey(): Promise<string | null>;
  /** The dataset version in this call's snapshot (every load bumps it in the transactions that change contracts or names); read once. */
  datasetVersion(): Promise<string>;
  /** Reports that the current step finished; the progress message becomes the next step's. */
  step(): void;
  /** Reports every remaining step as finished (work that a short cut made unnecessary). */
  finish(): void;
};

/**
 * The StepRunner of one call: statements on `tx`, checked for cancellation before and after;
 * progress as `done` of `steps.length`, with the message of the step now running.
 */
function stepRunner(
  tx: Prisma.TransactionClient,
  steps: readonly string[],
  onProgress: RunOptions['onProgress'],
  stopIfAborted: () => Promise<void>,
): StepRunner & { start(): void } {
  let done = 0;
  // The rollup key and the dataset version of the snapshot: one statement, read when first asked.
  let state: Promise<{ key: string | null; version: string }> | undefined;
  const snapshotState = () => {
    state ??= guarded(() => tx.$queryRaw<{ key: string | null; version: string }[]>(ROLLUP_KEY_SQL)).then((rows) => ({
      key: rows[0]?.key ?? null,
      version: rows[0]?.version ?? '0',
    }));
    return state;
  };
  const rollupKey = async () => (await snapshotState()).key;
  const datasetVersion = async () => (await snapshotState()).version;
  const report = () => onProgress?.({ done, total: steps.length, message: steps[done] ?? 'Done' });
  /** Runs `statement`, turning a failure caused by our own cancel into CancelledError. */
  const guarded = async <R>(statement: () => Promise<R>): Promise<R> => {
    await stopIfAborted();
    let result: R;
    try {
      result = await statement();
    } catch (err) {
      await stopIfAborted(); // a statement failing because we cancelled it is a cancellation
      throw err;
    }
    await stopIfAborted();
    return result;
  };
  return {
    query: <R>(sql: Prisma.Sql) => guarded(() => tx.$queryRaw<R[]>(sql)),
    execute: (sql: Prisma.Sql) => guarded(() => tx.$executeRaw(sql)),
    start: report,
    rollupKey,
    datasetVersion,
    rollupsValid: async () => (await rollupKey()) !== null,
    step() {
      if (done >= steps.length) return;
      done += 1;
      report();
    },
    finish() {
      if (done >= steps.length) return;
      done = steps.length;
      report();
    },
  };
}

/** Builds the CancelledError of an aborted signal, keeping its reason as the cause. */
function cancelledError(signal: AbortSignal | undefined): CancelledError {
  const reason = signal?.reason;
  const why = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'the call was aborted';
  return new CancelledError(`Cancelled: ${why}`, { cause: reason });
}

/**
 * Runs `work` on one pinned connection (REPEATABLE READ: one snapshot); `steps` names its
 * steps for progress ("Counting matching contracts", ...) and calls step() after each.
 * Aborting `opts.signal` cancels the running statement and rejects with CancelledError;
 * an already-aborted signal rejects before touching the database.
 */
export async function runSteps<T>(db: Db, opts: RunOptions, steps: readonly string[], work: (run: StepRunner) => Promise<T>): Promise<T> {
  const { signal, onProgress } = opts;
  if (signal?.aborted) throw cancelledError(signal);
  // Set (SET LOCAL) before anything else: the first statements take no snapshot, and the
  // LOCK among them may wait, so the backend is found by its tag rather than by a pid read
  // with a SELECT.
  const tag = `kontrata-engine-${randomBytes(8).toString('hex')}`;
  let tagged = false;
  let active = true;
  let cancelRequest: Promise<void> | null = null;
  const onAbort = () => {
    if (!tagged || !active || cancelRequest) return;
    cancelRequest = db.$queryRaw`SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = ${tag}`.then(
      () => undefined,
      () => undefined, // The statement may have ended meanwhile; either way we stop below.
    );
  };
  signal?.addEventListener('abort', onAbort);

  /** Throws CancelledError if aborted, after the cancel request (if any) has completed. */
  const stopIfAborted = async () => {
    if (!signal?.aborted) return;
    if (cancelRequest) await cancelRequest;
    throw cancelledError(signal);
  };

  try {
    return await db.$transaction(
      async (tx) => {
        const runner = stepRunner(tx, steps, onProgress, stopIfAborted);
        try {
          // Transaction-local settings (set_config(..., true)), so pooled connections are
          // left as they were. (Not read-only: analytics materialises the matching contracts
          // in a temporary table, dropped at commit; nothing else is ever written.)
          // - jit off: on these statements LLVM compilation costs more than it saves;
          // - work_mem 64MB: grouping ~100k contractors stays in memory instead of spilling;
          // - random_page_cost 1.1: the working set (covering indexes) is in RAM, and the
          //   default 4.0 (spinning disks) makes the planner prefer heap scans of the whole
          //   table over index-only scans of a covering index a sixth of its size.
          // First, before any SELECT fixes the snapshot: lock what a load swaps (contracts, their
          // keyword table and the rollups), so a load's swap either waits for this call or commits before its
          // snapshot is taken. A call never sees old rollups with new contracts, or a table
          // swapped in after its snapshot (which would look empty).
          await tx.$executeRawUnsafe(`SET LOCAL application_name = '${tag}'`); // tag: hex only
          tagged = true;
          await stopIfAborted();
          await tx.$executeRawUnsafe(LOCK_SQL);
          await tx.$queryRaw`
            SELECT set_config('jit', 'off', true),
                   set_config('work_mem', '64MB', true),
                   set_config('random_page_cost', '1.1', true)`;
          await stopIfAborted();
          runner.start();
          const result = await work(runner);
          await stopIfAborted();
          runner.finish();
          return result;
        } finally {
          // From here on no cancel is sent; one already sent is awaited before we let go.
          active = false;
          if (cancelRequest) await cancelRequest;
        }
      },
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: TRANSACTION_TIMEOUT_MS, maxWait: CONNECTION_WAIT_MS },
    );
  } catch (err) {
    if (signal?.aborted && !(err instanceof CancelledError)) throw cancelledError(signal);
    throw databaseError(err);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
