// How expected client conditions reach the logs: at info or warn, as one line with the
// code and the message, never with a stack trace. A stack says "a bug is here"; a client
// asking for an unknown task, over its rate limit, or a Redis that is restarting is not
// one. Error level with the full error stays for the unexpected (mask-errors.ts).
import type { ExpectedError } from './errors.js';

// Conditions an operator should notice (overload, abuse, outages, lost tasks): warn. The rest
// (bad input, unknown ids): info.
const WARN_CODES = new Set(['QUEUE_FULL', 'RATE_LIMITED', 'REDIS_UNAVAILABLE', 'DATABASE_UNAVAILABLE']);

/** The log level of an expected error: warn for overload, outages and lost tasks, info otherwise. */
export function expectedLevel(err: ExpectedError): 'info' | 'warn' {
  return WARN_CODES.has(err.code) || err.details.reason === 'LOST' ? 'warn' : 'info';
}

/** Log fields of an expected error: its code and details, no stack. */
export function expectedFields(err: ExpectedError): Record<string, unknown> {
  return { code: err.code, ...err.details };
}

/** An error's name, code and message, without its stack (the cause of an expected error). */
export function briefError(err: unknown): { name?: string; code?: string; message: string } {
  const e = err as { name?: unknown; code?: unknown; message?: unknown } | null;
  return {
    ...(typeof e?.name === 'string' ? { name: e.name } : {}),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    message: typeof e?.message === 'string' ? e.message.split('\n')[0]! : String(err),
  };
}
