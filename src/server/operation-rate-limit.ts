// The per-client operation budget: QUERY_RATE_LIMIT GraphQL operations (queries,
// mutations, subscription starts) per QUERY_RATE_WINDOW_SECONDS, counted in Redis so that
// every API process of a deployment shares it. Besides it, submissions keep their own
// limit (SUBMIT_RATE_LIMIT, src/tasks/rate-limit.ts).
//
// A fixed window per client (one counter with a TTL: one round trip, one small key per
// client), so a client can spend at most twice the limit across a window boundary. The
// check runs after validation, right before execution: refused documents cost nothing
// here, and they never reach the database either.
//
// When Redis does not answer within REDIS_CHECK_MS the operation runs unlimited (and this is
// logged): synchronous queries need only PostgreSQL, and an outage of the limiter must not
// become an outage of the API.
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { RateLimitedError } from '../errors.js';
import { retryAfterSeconds } from '../tasks/rate-limit.js';
import { taskKeys } from '../tasks/keys.js';
import { withTimeout } from './redis.js';

// INCR, with the window's TTL on the first hit; over the limit, the ms until the window ends.
const CONSUME_LUA = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
if n > tonumber(ARGV[2]) then return ttl end
return -1`;

const REDIS_CHECK_MS = 1000;
const OUTAGE_LOG_INTERVAL_MS = 10_000;

export type OperationRateLimitOptions = {
  redis: Redis;
  prefix: string;
  /** Operations per window per client; 0 = off. */
  limit: number;
  windowSeconds: number;
  logger: Logger;
};

type RateLimitedRedis = Redis & { kontrataConsumeOperation(key: string, windowMs: number, limit: number): Promise<number> };

/** Counts one operation of `clientId`; resolves with the ms until it may retry when over the limit, else null. */
export function createOperationLimiter(opts: OperationRateLimitOptions): (clientId: string) => Promise<number | null> {
  if (!('kontrataConsumeOperation' in opts.redis)) opts.redis.defineCommand('kontrataConsumeOperation', { numberOfKeys: 1, lua: CONSUME_LUA });
  const redis = opts.redis as RateLimitedRedis;
  const keys = taskKeys(opts.prefix);
  const windowMs = opts.windowSeconds * 1000;
  let lastOutageLog = 0;
  return async (clientId) => {
    if (opts.limit <= 0) return null;
    try {
      const ms = await withTimeout(redis.kontrataConsumeOperation(keys.operationRate(clientId), windowMs, opts.limit), REDIS_CHECK_MS, 'Redis did not answer the rate-limit check');
      return ms >= 0 ? ms : null;
    } catch (err) {
      if (Date.now() - lastOutageLog > OUTAGE_LOG_INTERVAL_MS) {
        lastOutageLog = Date.now();
        opts.logger.warn({ err }, 'operation rate limit not checked: Redis unavailable; operations run unlimited meanwhile');
      }
      return null;
    }
  };
}

/** The RATE_LIMITED answer of a refused operation. */
function refusal(retryAfterMs: number, opts: OperationRateLimitOptions): ExecutionResult {
  const seconds = retryAfterSeconds(retryAfterMs);
  const err = new RateLimitedError(
    `Too many requests: at most ${opts.limit} GraphQL operations per ${opts.windowSeconds} s per client. Try again in ${seconds} s.`,
    seconds,
  );
  return { errors: [new GraphQLError(err.message, { extensions: { code: err.code, ...err.details } })] };
}

/** Envelop plugin: every operation (HTTP, SSE, graphql-ws) of the context's clientId is counted and refused past the limit. */
export function useOperationRateLimit(opts: OperationRateLimitOptions): Plugin<{ clientId?: string }> {
  const consume = createOperationLimiter(opts);
  const check = async (ctx: { clientId?: string }, stop: (r: ExecutionResult) => void) => {
    const retryMs = await consume(ctx.clientId ?? 'unknown');
    if (retryMs !== null) {
      opts.logger.info({ clientId: ctx.clientId, retryMs }, 'operation refused: rate limit');
      stop(refusal(retryMs, opts));
    }
  };
  return {
    onExecute: ({ args, setResultAndStopExecution }) => check(args.contextValue, setResultAndStopExecution),
    onSubscribe: ({ args, setResultAndStopExecution }) => check(args.contextValue, setResultAndStopExecution),
  };
}
