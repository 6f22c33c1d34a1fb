// Where an API error is shown: BAD_USER_INPUT names the offending input
// (extensions.field, e.g. "input.filters.timeRanges[0].from"), and the message goes next to
// that field; everything else is a notice over the panel it concerns.
import type { ApiError } from '../api/api-error.js';

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

const FIELD_NAMES: Record<string, string> = {
  contractors: 'Contractor chip',
  organizations: 'Organization chip',
  areas: 'Area chip',
  businessCategories: 'Category chip',
  keywords: 'Keyword chip',
  timeRanges: 'Time range',
  entities: 'Drill-down step',
};

/**
 * The API prefixes BAD_USER_INPUT messages with the input path
 * ("input.filters.timeRanges[0].from: ..."); next to the field, a person reads
 * "Time range 1 (from): ..." instead. Other messages are shown as they are.
 */
export function fieldMessage(error: ApiError): string {
  const path = error.field;
  if (!path || !error.message.startsWith(`${path}: `)) return error.message;
  const rest = error.message.slice(path.length + 2);
  const match = /filters\.(\w+)(?:\[(\d+)\])?(?:\.(\w+))?/.exec(path);
  if (!match) return rest;
  const [, key, index, sub] = match;
  if (key === 'minAmount') return `Min amount: ${rest}`;
  if (key === 'maxAmount') return `Max amount: ${rest}`;
  const name = FIELD_NAMES[key!] ?? key;
  return `${name}${index !== undefined ? ` ${Number(index) + 1}` : 's'}${sub ? ` (${sub})` : ''}: ${rest}`;
}
