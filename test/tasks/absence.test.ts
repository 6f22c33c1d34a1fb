// Telling a task the store LOST from one that expired: task ids carry their creation time
// (UUIDv7) and the store keeps an epoch, set by the first submission into an empty store.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAbsenceExplainer, type AbsenceExplainer } from '../../src/tasks/absence.js';
import { cacheKeyFor } from '../../src/tasks/cache-key.js';
import { taskKeys } from '../../src/tasks/keys.js';
import { createTaskStore } from '../../src/tasks/store.js';
import { newTaskId, taskIdTime } from '../../src/tasks/task-id.js';
import type { TaskResultLookup } from '../../src/tasks/types.js';
import { testQueuePrefix } from '../helpers/db.js';
import { createRedis, deletePrefix } from '../helpers/redis.js';

const RESULT_TTL = 60;
const MIN = 60_000;
const NOT_FOUND: TaskResultLookup = { status: 'NOT_FOUND', message: 'No result for this cache key: it was never computed or it expired. Submit the question again.', result: null };

describe('task ids', () => {
  it('are UUIDv7 carrying their creation time to the millisecond', () => {
    const at = Date.UTC(2026, 11, 4, 12, 30, 15, 123);
    const id = newTaskId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(taskIdTime(id)).toBe(at);
    expect(newTaskId(at)).not.toBe(id);
  });

  it('give no time for ids that are not UUIDv7 (older random ids, typos)', () => {
    expect(taskIdTime('no-such-task')).toBeNull();
    expect(taskIdTime('3f2b7c1e-0a4d-4e8f-9b1a-2c3d4e5f6a7b')).toBeNull(); // v4
  });
});

describe('absence explainer', () => {
  const prefix = testQueuePrefix('absence');
  const keys = taskKeys(prefix);
  let redis: Redis;
  let explain: AbsenceExplainer;
  const now = Date.now();

  beforeAll(() => {
    redis = createRedis();
    explain = createAbsenceExplainer(redis, keys, { resultTtlSeconds: RESULT_TTL, activeTtlSeconds: 24 * 3600 });
  });
  beforeEach(async () => {
    await deletePrefix(redis, prefix);
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    await redis?.quit();
  });

  describe('when the store started empty after the task was created (a restart without persistence)', () => {
    it('says LOST and when the store started again, and asks to submit again', async () => {
      await redis.set(keys.epoch, String(now - 10_000));
      const why = await explain.explainTask(newTaskId(now - 5 * MIN), now);
      expect(why.reason).toBe('LOST');
      expect(why.message).toMatch(/no longer has task .* started empty again at .*submit the question again/);
      expect(why.message).not.toMatch(/expired/);
    });

    it('says LOST when nothing was submitted since (no epoch at all)', async () => {
      const why = await explain.explainTask(newTaskId(now - 1000), now);
      expect(why).toMatchObject({ reason: 'LOST', message: expect.stringMatching(/held no task since it last started empty/) });
    });
  });

  describe('when the store is older than the task', () => {
    beforeEach(async () => {
      await redis.set(keys.epoch, String(now - 60 * MIN));
    });

    it('says LOST (not expired) for a task younger than the shortest record lifetime', async () => {
      const why = await explain.explainTask(newTaskId(now - 20_000), now);
      expect(why.reason).toBe('LOST');
      expect(why.message).toMatch(/created 20 s ago although task records are kept at least 60 s: .*did not expire/);
    });

    it('says EXPIRED for a task older than that', async () => {
      const why = await explain.explainTask(newTaskId(now - 5 * MIN), now);
      expect(why.reason).toBe('EXPIRED');
      expect(why.message).toMatch(/created 5 min ago, it has most likely expired/);
    });
  });

  it('says UNKNOWN for ids without a time, or with one in the future', async () => {
    expect((await explain.explainTask('no-such-task', now)).reason).toBe('UNKNOWN');
    expect((await explain.explainTask(newTaskId(now + 60 * MIN), now)).reason).toBe('UNKNOWN');
  });

  describe('a missing result', () => {
    const ck = cacheKeyFor('SEARCH', { q: 1 }, '1');

    it('is called lost while the store is younger than a result lives', async () => {
      await redis.set(keys.epoch, String(now - 10_000));
      const lookup = await explain.explainResult(ck, NOT_FOUND, now);
      expect(lookup).toMatchObject({ status: 'NOT_FOUND', result: null });
      expect(lookup.message).toMatch(/started empty 10 s ago, less than a result is kept \(60 s\).*lost, not expired\. Submit the question again/);
    });

    it('keeps the usual message once the store is older than that, and leaves READY answers and non-keys alone', async () => {
      await redis.set(keys.epoch, String(now - 60 * MIN));
      expect(await explain.explainResult(ck, NOT_FOUND, now)).toEqual(NOT_FOUND);
      await redis.del(keys.epoch);
      const notAKey = { ...NOT_FOUND, message: 'This is not a cache key' };
      expect(await explain.explainResult('search:0000', notAKey, now)).toEqual(notAKey);
      const ready: TaskResultLookup = { status: 'NOT_READY', message: 'running', result: null };
      expect(await explain.explainResult(ck, ready, now)).toEqual(ready);
    });
  });

  describe('the epoch', () => {
    it('is set by the first submission into an empty store and kept by later ones', async () => {
      const store = createTaskStore(redis, { prefix, resultTtlSeconds: RESULT_TTL });
      const before = Date.now();
      await store.submit({ kind: 'SEARCH', cacheKey: cacheKeyFor('SEARCH', { q: 2 }, '1'), newId: newTaskId(), maxQueueDepth: 0 });
      const epoch = Number(await redis.get(keys.epoch));
      expect(epoch).toBeGreaterThanOrEqual(before);
      await store.submit({ kind: 'SEARCH', cacheKey: cacheKeyFor('SEARCH', { q: 3 }, '1'), newId: newTaskId(), maxQueueDepth: 0 });
      expect(Number(await redis.get(keys.epoch))).toBe(epoch);
      expect(await explain.epoch()).toBe(epoch);
    });
  });
});
