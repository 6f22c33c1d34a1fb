// The API's own Redis connections (the pub/sub for subscriptions and readiness pings).
// ioredis reconnects forever; what matters here is that a Redis outage never crashes the
// process: every client has an error listener, and each outage is logged once, not once
// per reconnect attempt.
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/** Creates an ioredis client that logs outages once and retries connecting forever. */
export function createRedisClient(
  url: string,
  role: string,
  logger: Logger,
  opts: { maxRetriesPerRequest: number | null; autoPipelining?: boolean },
): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    // Commands issued in the same tick go out in one write (one syscall for many requests'
    // rate-limit checks under load).
    enableAutoPipelining: opts.autoPipelining ?? false,
    // A number: commands issued while disconnected fail after that many reconnect attempts
    // (requests get REDIS_UNAVAILABLE quickly). null: they wait for the connection.
    maxRetriesPerRequest: opts.maxRetriesPerRequest,
    retryStrategy: (times) => Math.min(200 * times, 2000),
    connectionName: `kontrata-api-${role}`,
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: { message: err.message, code: (err as { code?: string }).code }, role }, 'Redis connection lost; retrying');
  });
  client.on('ready', () => {
    if (down) logger.info({ role }, 'Redis connection restored');
    down = false;
  });
  return client;
}

/** Resolves with `promise` or rejects after `ms` milliseconds with `message`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(message), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The subscriber as @graphql-yoga/redis-event-target uses it (on, subscribe, unsubscribe),
 * with the SUBSCRIBE/UNSUBSCRIBE promises it leaves unawaited caught and logged: a command
 * that fails while Redis is down must not become an unhandled rejection that ends the process.
 */
export function eventTargetSubscriber(client: Redis, logger: Logger): Redis {
  const quiet = (what: string) => (err: unknown) => {
    logger.warn({ err: { message: (err as Error)?.message } }, `Redis ${what} failed`);
  };
  const facade = {
    on(event: string, listener: (...args: unknown[]) => void) {
      client.on(event, listener);
      return facade;
    },
    subscribe: (...channels: string[]) => client.subscribe(...channels).catch(quiet('SUBSCRIBE')),
    unsubscribe: (...channels: string[]) => client.unsubscribe(...channels).catch(quiet('UNSUBSCRIBE')),
  };
  // Only these three members are used by the event target (see its source); the cast says so.
  return facade as unknown as Redis;
}
