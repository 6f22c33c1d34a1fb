// Per-client submission rate limit (SUBMIT_RATE_LIMIT per SUBMIT_RATE_WINDOW_SECONDS), kept
// in Redis so that every API instance shares it. A sliding-window log: one sorted set per
// client (`<prefix>:ratelimit:<clientId>`) holding the times of its counted submissions.
//
// The check and the record are part of the atomic submit script (lua/submit.lua), not a
// separate step, because what counts depends on the submission's outcome: CACHED answers
// never count (and are served to a client over its limit), DEDUPLICATED and QUEUED count,
// QUEUE_FULL refusals and invalid input do not. Being one script, it is exact at the
// threshold (the limit-th submission passes, the next is refused) under any concurrency,
// and it can say precisely when the client may retry.
import { RateLimitedError } from '../errors.js';

export type RateLimitOptions = {
  /** Counted submissions per window and client; 0 = no limit. */
  limit: number;
  windowSeconds: number;
};

/** Whole seconds until a refused client may submit again (at least 1). */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

/** The RATE_LIMITED error for a refused submission, saying the limit and when to retry. */
export function rateLimitedError(retryAfterMs: number, opts: RateLimitOptions): RateLimitedError {
  const seconds = retryAfterSeconds(retryAfterMs);
  return new RateLimitedError(
    `Too many submissions: at most ${opts.limit} new tasks per ${opts.windowSeconds} s per client (cached answers do not count). ` +
      `Try again in ${seconds} s.`,
    seconds,
  );
}
