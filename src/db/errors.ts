// What a failed PostgreSQL call means, read from the structured fields Prisma, its pg driver
// adapter and node-postgres give (error codes, SQLSTATEs, the adapter's error kind), never
// from their English messages, except where node-postgres gives nothing else (below).
// The callers of PostgreSQL (src/contracts, dataset.ts) run their calls through
// `databaseCall`, so a database that does not answer is DATABASE_UNAVAILABLE wherever it
// happens, and a failing statement (a bug: syntax error, undefined column ...) stays an
// unexpected error.
import pg from 'pg';
import { ExpectedError, ServiceUnavailableError } from '../errors.js';
import { Prisma } from '../generated/prisma/client.js';

// Prisma's codes for "no answer": can't reach the server (P1001), timed out (P1002, P1008),
// server closed the connection (P1017), no pooled connection in time (P2024), too many
// connections (P2037).
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
// @prisma/adapter-pg's kinds for failures of the connection itself (driver-adapter-utils' Error).
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);
// Node's system error codes of a socket that could not connect or broke.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
// node-postgres and pg-pool raise these connection failures as plain Errors without any
// code (pg/lib/client.js, pg-pool/index.js), and the adapter passes them on untouched, so
// their exact text is the only thing that identifies them.
const PG_CONNECTION_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Connection terminated due to connection timeout',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
]);

/** The adapter's description of a failure (driver-adapter-utils' `Error`): its kind, and PostgreSQL's SQLSTATE and words when the server sent them. */
type AdapterFailure = { kind: string; originalCode?: string; originalMessage?: string; host?: string; port?: number };

/** The driver adapter's description of a Prisma error (`meta.driverAdapterError.cause`), or null. */
function adapterFailureOf(err: unknown): AdapterFailure | null {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError)) return null;
  const adapterError = (err.meta as { driverAdapterError?: { cause?: unknown } } | undefined)?.driverAdapterError;
  const cause = adapterError?.cause as Partial<AdapterFailure> | undefined;
  return typeof cause?.kind === 'string' ? (cause as AdapterFailure) : null;
}

/** SQLSTATE class 08 (connection exception) and 57P01..03 (admin shutdown, crash shutdown, cannot connect now). */
function isConnectionSqlState(sqlState: string): boolean {
  return sqlState.startsWith('08') || /^57P0[123]$/.test(sqlState);
}

/** The error and the errors it wraps (`cause`), outermost first. */
function* causeChain(err: unknown): Generator<object> {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

/** One error of the chain: does it say that PostgreSQL could not be reached or dropped the connection? */
function meansUnreachable(e: object): boolean {
  if (e instanceof Prisma.PrismaClientInitializationError) return true;
  if (e instanceof Prisma.PrismaClientKnownRequestError && PRISMA_CODES.has(e.code)) return true;
  const adapter = adapterFailureOf(e);
  if (adapter && (ADAPTER_KINDS.has(adapter.kind) || isConnectionSqlState(adapter.originalCode ?? ''))) return true;
  if (e instanceof pg.DatabaseError && isConnectionSqlState(e.code ?? '')) return true;
  const { code, message } = e as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  return e instanceof Error && !('code' in e) && typeof message === 'string' && PG_CONNECTION_MESSAGES.has(message);
}

/** True when `err`, thrown by a PostgreSQL call, means the database did not answer (as opposed to refusing the statement). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof ExpectedError) return false;
  for (const e of causeChain(err)) if (meansUnreachable(e)) return true;
  return false;
}

/** The error a PostgreSQL call should throw for `err`: ServiceUnavailableError('postgres') (with `err` as cause) when the database did not answer, else `err` itself. */
export function databaseError(err: unknown): unknown {
  return isDatabaseUnavailable(err) ? new ServiceUnavailableError('postgres', undefined, { cause: err }) : err;
}

/** Runs a PostgreSQL call; a database that does not answer becomes DATABASE_UNAVAILABLE, any other failure is rethrown unchanged. */
export async function databaseCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw databaseError(err);
  }
}

/** PostgreSQL's own report of a failed statement (its SQLSTATE and words), or null when `err` carries none. */
export function sqlErrorOf(err: unknown): { sqlState: string; message: string } | null {
  const adapter = adapterFailureOf(err);
  if (adapter?.originalCode && adapter.originalMessage) return { sqlState: adapter.originalCode, message: adapter.originalMessage };
  // node-postgres' DatabaseError (and errors shaped like it): a 5-character SQLSTATE in `code`.
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof message === 'string') return { sqlState: code, message };
  return null;
}

/** What went wrong with the connection, for people ("cannot reach 127.0.0.1:5432", "Connection terminated unexpectedly"), from the first error of the chain that says. */
export function connectionFailureOf(err: unknown): string | null {
  for (const e of causeChain(err)) {
    const adapter = adapterFailureOf(e);
    if (adapter?.originalMessage) return adapter.originalMessage;
    if (adapter?.kind === 'DatabaseNotReachable') return `cannot reach ${adapter.host ?? '?'}:${adapter.port ?? '?'}`;
    if (adapter) return adapter.kind;
    if (e instanceof Error && !(e instanceof Prisma.PrismaClientKnownRequestError) && !(e instanceof ExpectedError) && e.message) return e.message;
  }
  return null;
}
