// Which ioredis failures are REDIS_UNAVAILABLE (src/tasks/redis-errors.ts), with real errors:
// a Redis that cannot be reached, a closed connection, and a command Redis itself refuses.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpectedError, ServiceUnavailableError } from '../../src/errors.js';
import { isRedisUnavailable, redisCall } from '../../src/tasks/redis-errors.js';
import { TEST_REDIS_URL } from '../helpers/db.js';
import { freePort } from '../helpers/outage.js';

/** What `promise` rejected with (a promise that resolves fails the assertions that follow). */
const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => 'resolved', (err: unknown) => err);

describe('Redis error classification', () => {
  let unreachable: Redis;
  let live: Redis;

  beforeAll(async () => {
    // Nothing listens there: each command fails after one reconnection attempt.
    unreachable = new Redis(`redis://127.0.0.1:${await freePort()}`, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    unreachable.on('error', () => {});
    live = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    unreachable?.disconnect();
    await live?.quit();
  });

  describe('when Redis cannot be reached', () => {
    it('is REDIS_UNAVAILABLE, keeping the ioredis error as cause', async () => {
      const raw = await rejection(unreachable.get('k'));
      expect(isRedisUnavailable(raw)).toBe(true);
      const err = await rejection(redisCall(() => unreachable.get('k'), 'Redis is not available; try again shortly.'));
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect(err).toMatchObject({ code: 'REDIS_UNAVAILABLE', message: 'Redis is not available; try again shortly.', details: { service: 'redis' } });
      expect((err as Error).cause).toBeInstanceOf(Error);
    });
  });

  describe('when the connection was closed', () => {
    it('is REDIS_UNAVAILABLE', async () => {
      const closed = new Redis(TEST_REDIS_URL, { lazyConnect: true });
      await closed.connect();
      closed.disconnect();
      const err = await rejection(redisCall(() => closed.get('k')));
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect((err as Error).message).toBe('The task store (Redis) is not answering. Try again shortly.');
    });
  });

  describe('when Redis refuses the command (a bug)', () => {
    it('stays Redis\' own error: never REDIS_UNAVAILABLE', async () => {
      const err = await rejection(redisCall(() => live.eval("return redis.error_reply('broken script')", 0)));
      expect(err).not.toBeInstanceOf(ExpectedError);
      expect(isRedisUnavailable(err)).toBe(false);
      expect((err as Error).message).toMatch(/broken script/);
    });
  });
});
