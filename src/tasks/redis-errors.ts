// Which ioredis failures mean "Redis is not answering" (REDIS_UNAVAILABLE), decided here,
// next to the task system's Redis calls, and nowhere else. Everything else Redis says (a
// ReplyError from a script, a wrong type) is a bug and stays an unexpected error.
import { ExpectedError, ServiceUnavailableError } from '../errors.js';

// Socket-level failures of the connection to Redis (Node's system error codes).
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
// ioredis' error classes, by their `name`: a command that used up maxRetriesPerRequest
// reconnection attempts while Redis was down.
const UNAVAILABLE_NAMES = new Set(['MaxRetriesPerRequestError']);
// ioredis rejects pending commands of a closed connection with a plain Error that has no
// code or class of its own (ioredis itself recognises it by this exact text,
// CONNECTION_CLOSED_ERROR_MSG in its utils), so the text is all there is to match.
const CONNECTION_CLOSED = 'Connection is closed.';

type ErrorFields = { name?: unknown; code?: unknown; message?: unknown };

/** True when an ioredis call failed because Redis could not be reached (not because Redis refused the command). */
export function isRedisUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { name, code, message } = err as ErrorFields;
  return (
    (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) ||
    (typeof code === 'string' && SOCKET_CODES.has(code)) ||
    message === CONNECTION_CLOSED
  );
}

/** Runs a Redis call; a failure to reach Redis becomes ServiceUnavailableError (REDIS_UNAVAILABLE), anything else is rethrown as is. */
export async function redisCall<T>(fn: () => Promise<T>, message?: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ExpectedError || !isRedisUnavailable(err)) throw err;
    throw new ServiceUnavailableError('redis', message, { cause: err });
  }
}
