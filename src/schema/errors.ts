// How failures of the layers below reach resolvers' callers:
// - ValidationError fields are relative to the engine's input object ('filters.minAmount');
//   the API names the whole argument path ('input.filters.minAmount'), so resolvers prefix it.
// - A backing service that does not answer becomes ServiceUnavailableError
//   (DATABASE_UNAVAILABLE / REDIS_UNAVAILABLE), recognised by the error's shape.
// Both reach the client as GraphQL errors with extensions.code. Everything else propagates
// untouched and is masked by src/server/mask-errors.ts.
import { GraphQLError } from 'graphql';
import { ExpectedError, ServiceUnavailableError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';

type Service = 'postgres' | 'redis';

// Socket-level failures: which service they concern is only known from the call site.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
// Prisma: can't reach / server closed / pool timeout / too many connections.
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);

type ErrorLike = { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; kind?: unknown; errors?: unknown };

/** Tells whether `err` means PostgreSQL or Redis is unreachable; `hint` names the service the call talked to. */
export function unavailableService(err: unknown, hint: Service, depth = 0): Service | null {
  if (depth > 4 || typeof err !== 'object' || err === null) return null;
  const e = err as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (name === 'MaxRetriesPerRequestError') return 'redis';
  if (/Connection is closed|enableOfflineQueue|Redis (is )?(not )?(connected|unavailable)/i.test(message)) return 'redis';
  if (name.startsWith('PrismaClient') && (PRISMA_CODES.has(code) || /Can't reach database|closed the connection|ECONNREFUSED|Connection terminated|fetching a new connection/i.test(message))) {
    return 'postgres';
  }
  if (name.startsWith('PrismaClientInitializationError')) return 'postgres';
  if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return 'postgres';
  // node-postgres: SQLSTATE class 08 (connection exception), 57P01..03 (shutdown / cannot connect now).
  if (/^08|^57P0[123]$/.test(code)) return 'postgres';
  if (/Connection terminated|terminating connection due to administrator/i.test(message)) return 'postgres';
  if (NETWORK_CODES.has(code)) return hint;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const found = unavailableService(inner, hint, depth + 1);
      if (found) return found;
    }
  }
  return e.cause !== undefined ? unavailableService(e.cause, hint, depth + 1) : null;
}

const SERVICE_MESSAGES: Record<Service, string> = {
  postgres: 'The database (PostgreSQL) is not answering. Try again shortly.',
  redis: 'The task store (Redis) is not answering. Try again shortly.',
};

/** Rewrites a ValidationError's field as a path from the GraphQL argument (`argPath` '' = top-level args). */
export function prefixField(err: ValidationError, argPath: string): ValidationError {
  if (!argPath) return err;
  const own = `${err.field}: `;
  const message = err.message.startsWith(own) ? err.message.slice(own.length) : err.message;
  const prefixed = new ValidationError(err.field ? `${argPath}.${err.field}` : argPath, message);
  return prefixed;
}

/** The GraphQL error a client sees for an expected error: its message and extensions { code, ...details }. */
export function clientError(err: ExpectedError): GraphQLError {
  return new GraphQLError(err.message, { extensions: { code: err.code, ...err.details } });
}

/**
 * Converts what a lower layer threw into what the API reports: expected errors become
 * GraphQL errors with their code (never masked), connection failures become
 * DATABASE_UNAVAILABLE / REDIS_UNAVAILABLE, anything else propagates to be masked.
 */
export function translateError(err: unknown, argPath: string, hint: Service, logger?: Logger): unknown {
  if (err instanceof ValidationError) return clientError(prefixField(err, argPath));
  if (err instanceof ExpectedError) {
    if (err.cause !== undefined) logger?.warn({ err: err.cause, code: err.code }, err.message);
    return clientError(err);
  }
  const service = unavailableService(err, hint);
  if (service) {
    logger?.warn({ err, service }, 'backing service unavailable');
    return clientError(new ServiceUnavailableError(service, SERVICE_MESSAGES[service]));
  }
  return err;
}

/** Runs a query-engine call (PostgreSQL) and translates its errors; `argPath` prefixes validation fields. */
export async function runEngine<T>(ctx: { logger: Logger }, argPath: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw translateError(err, argPath, 'postgres', ctx.logger);
  }
}

/** Runs a task-store call (Redis; submit also reads the data version from PostgreSQL) and translates its errors. */
export async function runTasks<T>(ctx: { logger: Logger }, argPath: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw translateError(err, argPath, 'redis', ctx.logger);
  }
}
