// How a failed attempt is logged. Expected conditions (a timeout, an invalid payload, a
// shutdown, the database restarting) are one warn line with the error's message; only the
// unexpected (a bug, an SQL error) is logged at error level with the full error and stack.
import { CancelledError, ExpectedError } from '../src/errors.js';
import { briefError } from '../src/expected-log.js';
import type { Logger } from '../src/logger.js';
import { UnrecoverableTaskError, WorkerShutdownError } from '../src/tasks/index.js';

// node-postgres / driver adapter: the server went away (SQLSTATE class 08, 57P01..03 shutdown).
const OUTAGE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const OUTAGE_TEXT = /Connection terminated|terminating connection due to administrator|ECONNREFUSED|ECONNRESET|Can't reach database|the database system is (starting up|shutting down)/i;

/** Whether an attempt's error is an expected condition rather than a bug. */
export function isExpectedFailure(err: unknown, depth = 0): boolean {
  if (err instanceof UnrecoverableTaskError || err instanceof WorkerShutdownError || err instanceof ExpectedError || err instanceof CancelledError) return true;
  if (depth > 3 || typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && /^08|^57P0[123]$/.test(e.code)) return true;
  if (typeof e.kind === 'string' && OUTAGE_KINDS.has(e.kind)) return true;
  if (typeof e.message === 'string' && OUTAGE_TEXT.test(e.message)) return true;
  return isExpectedFailure(e.cause, depth + 1);
}

/** Logs a failed attempt: warn without a stack when expected, error with the full error otherwise. */
export function logFailure(log: Logger, fields: Record<string, unknown>, err: unknown, message: string): void {
  if (isExpectedFailure(err)) log.warn({ ...fields, error: briefError(err) }, message);
  else log.error({ ...fields, err }, message);
}
