// Runs one engine call as a sequence of real steps on ONE PostgreSQL connection whose
// backend pid is known, so that an AbortSignal can cancel the statement that is running
// (pg_cancel_backend), and a progress callback hears about each finished step.
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
import { CancelledError } from '../errors.js';
import type { Db } from '../db/prisma.js';
import { Prisma } from '../generated/prisma/client.js';
import type { RunOptions } from './types.js';

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
  /** Reports one finished step of `total`; `message` says what comes next or what was done, for people. */
  step(message: string): void;
};

/** The StepRunner of one call: statements on `tx`, checked for cancellation before and after. */
function stepRunner(
  tx: Prisma.TransactionClient,
  totalSteps: number,
  onProgress: RunOptions['onProgress'],
  stopIfAborted: () => Promise<void>,
): StepRunner {
  let done = 0;
  return {
    async query<R>(sql: Prisma.Sql) {
      await stopIfAborted();
      let rows: R[];
      try {
        rows = await tx.$queryRaw<R[]>(sql);
      } catch (err) {
        await stopIfAborted(); // a statement failing because we cancelled it is a cancellation
        throw err;
      }
      await stopIfAborted();
      return rows;
    },
    step(message) {
      done = Math.min(done + 1, totalSteps);
      onProgress?.({ done, total: totalSteps, message });
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
 * Runs `work` on one pinned connection (read-only, REPEATABLE READ) with `totalSteps`
 * progress steps. Aborting `opts.signal` cancels the running statement and rejects with
 * CancelledError; an already-aborted signal rejects before touching the database.
 */
export async function runSteps<T>(db: Db, opts: RunOptions, totalSteps: number, work: (run: StepRunner) => Promise<T>): Promise<T> {
  const { signal, onProgress } = opts;
  if (signal?.aborted) throw cancelledError(signal);
  let pid: number | null = null;
  let active = true;
  let cancelRequest: Promise<void> | null = null;
  const onAbort = () => {
    if (pid === null || !active || cancelRequest) return;
    const target = pid;
    cancelRequest = db.$queryRaw`SELECT pg_cancel_backend(${target}::int)`.then(
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
        const runner = stepRunner(tx, totalSteps, onProgress, stopIfAborted);
        try {
          // Read-only: the engine never writes. jit off: on these short analytic statements
          // LLVM compilation costs more than it saves. A bigger work_mem keeps grouping of
          // ~100k contractors in memory instead of spilling.
          const rows = await tx.$queryRaw<{ pid: number }[]>`
            SELECT pg_backend_pid() AS pid,
                   set_config('transaction_read_only', 'on', true),
                   set_config('jit', 'off', true),
                   set_config('work_mem', '64MB', true)`;
          pid = rows[0]!.pid;
          await stopIfAborted();
          const result = await work(runner);
          await stopIfAborted();
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
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
