// Why the task store has no record of a task, or no result for a cache key: told apart so
// that a client is never told "expired" about a task the store LOST (Redis restarted
// without persistence, evicted keys under memory pressure, data deleted by hand).
//
// Two facts make the verdict:
// - A task id carries its creation time (UUIDv7, task-id.ts), and a record outlives its
//   creation by at least min(RESULT_TTL_SECONDS, active TTL): an ended task keeps its
//   record RESULT_TTL_SECONDS after it ends, a queued or running one the active TTL after
//   its last change. An unknown id younger than that was not expired: it was lost.
// - The store's epoch (`<prefix>:epoch`, Unix ms) is set if absent by every submission
//   (submit.lua) before it writes a record, so it is the time the store started holding
//   tasks. A store that lost its data has no epoch, or a newer one than the task's id; the
//   epoch also tells whether a missing RESULT could have been lost rather than expired.
import type { Redis } from 'ioredis';
import { NotFoundError } from '../errors.js';
import { isCacheKey } from './cache-key.js';
import type { TaskKeys } from './keys.js';
import { taskIdTime } from './task-id.js';
import type { TaskResultLookup } from './types.js';

/** LOST: the store lost it (it cannot have expired yet); EXPIRED: old enough to have expired; UNKNOWN: no time in the id. */
export type AbsenceReason = 'LOST' | 'EXPIRED' | 'UNKNOWN';
export type TaskAbsence = { reason: AbsenceReason; message: string };

/** NOT_FOUND for a task id the store should still have: the message says it was lost and should be submitted again. */
export class TaskLostError extends NotFoundError {
  override name = 'TaskLostError';
  constructor(taskId: string, message: string) {
    super(message, { taskId, reason: 'LOST' });
  }
}

// Clocks of API hosts, workers and Redis differ a little: verdicts keep this margin.
const CLOCK_SKEW_MS = 5_000;

export type AbsenceOptions = { resultTtlSeconds: number; activeTtlSeconds: number };

/** Explains missing tasks and results of one deployment prefix (reads only: GET of the epoch). */
export function createAbsenceExplainer(redis: Redis, keys: Pick<TaskKeys, 'epoch'>, opts: AbsenceOptions) {
  // The shortest time a task's record is guaranteed to exist after its creation.
  const minLifeMs = Math.min(opts.resultTtlSeconds, opts.activeTtlSeconds) * 1000;

  /** When the store started holding tasks (Unix ms), or null when it holds none since it started empty. */
  async function epoch(): Promise<number | null> {
    const raw = await redis.get(keys.epoch);
    return raw === null ? null : Number(raw);
  }

  return {
    epoch,

    /** Why the store has no record of `taskId`; call it after a lookup found none. */
    async explainTask(taskId: string, nowMs: number = Date.now()): Promise<TaskAbsence> {
      const created = taskIdTime(taskId);
      if (created === null || created > nowMs + CLOCK_SKEW_MS) {
        return { reason: 'UNKNOWN', message: `There is no task "${taskId}": it was never submitted or has expired.` };
      }
      const since = await epoch();
      const createdAt = new Date(created).toISOString();
      const again = 'The answer was not kept; submit the question again.';
      if (since === null || created < since - CLOCK_SKEW_MS) {
        const when = since === null ? 'it has held no task since it last started empty' : `it started empty again at ${new Date(since).toISOString()}`;
        return {
          reason: 'LOST',
          message:
            `The task store no longer has task "${taskId}" (created ${createdAt}): ${when}, ` +
            `so Redis lost its data (a restart without persistence, or its keys were deleted). ${again}`,
        };
      }
      const ageS = Math.round((nowMs - created) / 1000);
      if (nowMs - created < minLifeMs - CLOCK_SKEW_MS) {
        return {
          reason: 'LOST',
          message:
            `The task store no longer has task "${taskId}", created ${ageS} s ago although task records are kept at least ` +
            `${minLifeMs / 1000} s: Redis lost it (evicted under memory pressure, or deleted), it did not expire. ${again}`,
        };
      }
      return {
        reason: 'EXPIRED',
        message:
          `Task "${taskId}" is no longer in the task store: created ${formatAge(ageS)} ago, it has most likely expired ` +
          `(records are kept ${opts.resultTtlSeconds} s after a task ends). Submit the question again to recompute it.`,
      };
    },

    /** A NOT_FOUND result lookup, with the reason when the store is younger than a result's lifetime. */
    async explainResult(cacheKey: string, lookup: TaskResultLookup, nowMs: number = Date.now()): Promise<TaskResultLookup> {
      if (lookup.status !== 'NOT_FOUND' || !isCacheKey(cacheKey)) return lookup;
      const since = await epoch();
      if (since !== null && nowMs - since >= opts.resultTtlSeconds * 1000) return lookup;
      const started = since === null ? 'The task store has held no task since it last started empty' : `The task store started empty ${formatAge(Math.round((nowMs - since) / 1000))} ago, less than a result is kept (${opts.resultTtlSeconds} s)`;
      return {
        ...lookup,
        message:
          `No result for this cache key. ${started} (first use, or Redis lost its data, e.g. a restart without persistence), ` +
          'so a result computed before then was lost, not expired. Submit the question again.',
      };
    },
  };
}

export type AbsenceExplainer = ReturnType<typeof createAbsenceExplainer>;

function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
