// Why an attempt ended, and what the task record says about it. The record's `error` is
// read by people (taskStatus.error, taskResult.message), so it says what went wrong in
// words; the full error with its stack goes to the worker's log.
import { connectionFailureOf, sqlErrorOf } from '../db/errors.js';
import { ExpectedError, ServiceUnavailableError } from '../errors.js';

/** An error that retrying cannot fix: the task fails at once (BullMQ's UnrecoverableError). */
export class UnrecoverableTaskError extends Error {
  override name = 'UnrecoverableTaskError';
}

/** The queued payload is not a valid input (e.g. written by another producer version). */
export class InvalidPayloadError extends UnrecoverableTaskError {
  override name = 'InvalidPayloadError';
}

/**
 * The attempt ran past TASK_TIMEOUT_SECONDS and its database work was cancelled.
 * Not retried: a query's cost is a property of the question and the data, so the next
 * attempt would most likely time out too, tripling the load on an already busy database.
 */
export class TaskTimeoutError extends UnrecoverableTaskError {
  override name = 'TaskTimeoutError';
  constructor(readonly seconds: number) {
    super(
      `Timed out after ${seconds} s; its database work was cancelled. Narrow the filters, or ask the operator to raise TASK_TIMEOUT_SECONDS.`,
    );
  }
}

/** The worker is shutting down and interrupted the attempt; the task goes back to the queue. */
export class WorkerShutdownError extends Error {
  override name = 'WorkerShutdownError';
  constructor() {
    super('Interrupted because its worker shut down; another worker will run it again.');
  }
}

const MAX_ERROR_LENGTH = 1000;

/** The message stored in the task record for an attempt that failed with `err`. */
export function describeTaskError(err: unknown): string {
  // The database did not answer: say why, in the driver's terms (the retry may well succeed).
  if (err instanceof ServiceUnavailableError && err.service === 'postgres') {
    return clip(`Database unavailable: ${connectionFailureOf(err.cause) ?? err.message}`);
  }
  if (err instanceof ExpectedError || err instanceof UnrecoverableTaskError || err instanceof WorkerShutdownError) {
    return clip(err.message);
  }
  // PostgreSQL refused a statement: its own words and SQLSTATE, not the wrapping of Prisma.
  const sql = sqlErrorOf(err);
  if (sql) return clip(`Database error: ${sql.message} (SQLSTATE ${sql.sqlState})`);
  const e = err as { message?: unknown } | null;
  const message = typeof e?.message === 'string' && e.message.trim() ? e.message.trim() : String(err);
  return clip(`Unexpected error: ${message}`);
}

function clip(message: string): string {
  const text = message.replace(/\s+/g, ' ').trim() || 'Unknown error';
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
