// Per-client submission rate limit (SUBMIT_RATE_LIMIT per SUBMIT_RATE_WINDOW_SECONDS),
// kept in Redis so that every API instance shares it. A sliding-window log: one sorted
// set per client holding the times of its counted submissions. Exact at the threshold
// (the limit-th submission passes, the next is refused) and it can say precisely when
// the client may retry. Check and record are one Lua script, so concurrent submissions
// from one client cannot overshoot.
import type { Redis } from 'ioredis';

const SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local member = ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return {0, tonumber(oldest[2]) + window - now}
end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, window)
return {1, 0}
`;

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export type RateLimiter = {
  /** Counts one submission for `clientId` if under the limit; otherwise says when to retry. Never counts a refused one. */
  take(clientId: string): Promise<RateLimitDecision>;
};

/** Creates a limiter of `limit` submissions per `windowSeconds` per client; limit 0 = no limit. */
export function createRateLimiter(redis: Redis, opts: { prefix: string; limit: number; windowSeconds: number }): RateLimiter {
  const windowMs = opts.windowSeconds * 1000;
  let seq = 0;
  return {
    async take(clientId) {
      if (opts.limit <= 0) return { allowed: true };
      const now = Date.now();
      // Unique member per submission even within one millisecond.
      const member = `${now}:${process.pid}:${seq++}:${Math.random().toString(36).slice(2, 8)}`;
      const [ok, retryMs] = (await redis.eval(SCRIPT, 1, `${opts.prefix}:ratelimit:${clientId}`, now, windowMs, opts.limit, member)) as [number, number];
      if (ok === 1) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)) };
    },
  };
}
