// Where an API error is shown: BAD_USER_INPUT names the offending input
// (extensions.field, e.g. "input.filters.timeRanges[0].from"), and the message goes next to
// that field; everything else is a notice over the panel it concerns.
import type { ApiError } from '../api/client';

export type FieldKey = 'contractors' | 'organizations' | 'areas' | 'businessCategories' | 'keywords' | 'timeRanges' | 'amount' | 'entities';

/** The filter field an error belongs to, or null when it is not about one. */
export function fieldOf(error: ApiError | null): FieldKey | null {
  if (!error || error.code !== 'BAD_USER_INPUT' || !error.field) return null;
  const match = /filters\.(\w+)/.exec(error.field);
  switch (match?.[1]) {
    case 'contractors':
    case 'organizations':
    case 'areas':
    case 'businessCategories':
    case 'keywords':
    case 'timeRanges':
    case 'entities':
      return match[1];
    case 'minAmount':
    case 'maxAmount':
      return 'amount';
    default:
      return null;
  }
}

/** A sentence for a person, by error code. */
export function explain(error: ApiError, retryIn: number | null): string {
  switch (error.code) {
    case 'RATE_LIMITED':
      return `Too many requests from this address. ${retryIn !== null ? `Trying again in ${retryIn} s.` : 'Try again in a moment.'}`;
    case 'QUEUE_FULL':
      return `The server is busy: its task queue is full. Try again in a minute. (${error.message})`;
    case 'TASK_FAILED':
      return `The task failed: ${error.message}`;
    case 'NETWORK':
      return error.message;
    case 'DATABASE_UNAVAILABLE':
    case 'REDIS_UNAVAILABLE':
      return `The server cannot answer right now: ${error.message}`;
    default:
      return error.message;
  }
}
