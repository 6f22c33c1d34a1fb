// Expected failures a client can act on. Each carries a stable `code` that the GraphQL
// layer passes through as `extensions.code` (src/server/mask-errors.ts, the one place that
// does); anything else is masked as unexpected. The layer that meets a failure throws
// these where it happens: src/contracts (bad input), src/db (PostgreSQL unavailable),
// src/tasks (Redis unavailable, queue full, rate limited).

/** Base class of errors whose message is safe and useful to show to a client. */
export abstract class ExpectedError extends Error {
  abstract readonly code: string;
  /** Extra machine-readable details for `extensions` (field, retryAfterSeconds, ...). */
  readonly details: Record<string, unknown>;
  constructor(message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.details = details;
  }
}

/**
 * The base class of one kind of expected error, with its fixed `name` and `code`:
 * `class NotFoundError extends expectedError('NotFoundError', 'NOT_FOUND') {}`.
 */
function expectedError<Code extends string>(errorName: string, code: Code) {
  return class extends ExpectedError {
    override name = errorName;
    readonly code = code;
  };
}

/**
 * Invalid input; `field` is the dotted path of the offending input field. The engine names
 * it from its input object (`filters.timeRanges[0].quarter`); the API reports it from the
 * GraphQL argument (`input.filters.timeRanges[0].quarter`, see mask-errors.ts).
 */
export class ValidationError extends expectedError('ValidationError', 'BAD_USER_INPUT') {
  readonly field: string;
  /** What is wrong with the field, without its path ("must be at least 1"). */
  readonly reason: string;
  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`, { field });
    this.field = field;
    this.reason = reason;
  }
}

/** A task, result or entity that does not exist (or has expired). */
export class NotFoundError extends expectedError('NotFoundError', 'NOT_FOUND') {}

/** The queue holds MAX_QUEUE_DEPTH waiting tasks; nothing was queued. */
export class QueueFullError extends expectedError('QueueFullError', 'QUEUE_FULL') {}

/** The client submitted more than SUBMIT_RATE_LIMIT tasks in the window. */
export class RateLimitedError extends expectedError('RateLimitedError', 'RATE_LIMITED') {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message, { retryAfterSeconds });
  }
}

export type Service = 'postgres' | 'redis';

const UNAVAILABLE_MESSAGES: Record<Service, string> = {
  postgres: 'The database (PostgreSQL) is not answering. Try again shortly.',
  redis: 'The task store (Redis) is not answering. Try again shortly.',
};

/** A backing service (PostgreSQL or Redis) does not answer; `cause` keeps the driver's error for the server log. */
export class ServiceUnavailableError extends ExpectedError {
  override name = 'ServiceUnavailableError';
  readonly code: 'DATABASE_UNAVAILABLE' | 'REDIS_UNAVAILABLE';
  readonly service: Service;
  constructor(service: Service, message: string = UNAVAILABLE_MESSAGES[service], options?: ErrorOptions) {
    super(message, { service }, options);
    this.service = service;
    this.code = service === 'postgres' ? 'DATABASE_UNAVAILABLE' : 'REDIS_UNAVAILABLE';
  }
}

/** The work was cancelled (timeout or shutdown) before it finished. */
export class CancelledError extends Error {
  override name = 'CancelledError';
}

/** A document over the limits on depth, aliases, tokens, directives or cost, or more than one engine question at once. */
export class QueryTooComplexError extends expectedError('QueryTooComplexError', 'QUERY_TOO_COMPLEX') {}

/** A synchronous engine question that did not finish within SYNC_TIMEOUT_MS; its statement was cancelled. */
export class QueryTimeoutError extends expectedError('QueryTimeoutError', 'QUERY_TIMEOUT') {}

/** A client holds as many open WebSockets, SSE streams or subscriptions on one socket as it may. */
export class TooManyConnectionsError extends expectedError('TooManyConnectionsError', 'TOO_MANY_CONNECTIONS') {}

/** The client went away (closed the connection) before its synchronous question finished; nobody sees this answer. */
export class ClientGoneError extends expectedError('ClientGoneError', 'CLIENT_CLOSED_REQUEST') {}
