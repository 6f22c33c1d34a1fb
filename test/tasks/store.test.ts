// The Redis side of tasks (Lua scripts), driven directly: the state machine, atomic
// deduplication, fencing of superseded attempts, the crash bound, TTLs and lookups.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheKeyFor } from '../../src/tasks/cache-key.js';
import { createTaskStore, type TaskStore } from '../../src/tasks/store.js';
import type { TaskResultData } from '../../src/tasks/types.js';
import { testQueuePrefix } from '../helpers/db.js';
import { createRedis, deletePrefix, recordEvents, type EventLog } from '../helpers/redis.js';

const RESULT_TTL = 120;
const key = (n: number, version = '1') => cacheKeyFor('SEARCH', { question: n }, version);
const RESULT: TaskResultData = {
  kind: 'SEARCH',
  data: { contracts: [], pagination: { page: 1, pageSize: 20, totalCount: 0, totalPages: 0, hasNext: false, hasPrevious: false } },
};

describe('task store', () => {
  const prefix = testQueuePrefix('store');
  let redis: Redis;
  let store: TaskStore;
  let events: EventLog;

  beforeAll(async () => {
    redis = createRedis();
    store = createTaskStore(redis, { prefix, resultTtlSeconds: RESULT_TTL });
    events = await recordEvents(prefix);
  });
  afterAll(async () => {
    await events?.close();
    await deletePrefix(redis, prefix);
    await redis?.quit();
  });

  /** Redis's clock (ms). */
  const redisNow = async () => {
    const [seconds, micros] = await redis.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  };
  /** When `key` expires (ms, Redis's clock); negative when it has no expiry or does not exist. */
  const expiresAt = async (key: string) => Number(await redis.call('PEXPIRETIME', key));
  const submit = (cacheKey: string, maxQueueDepth = 0) =>
    store.submit({ kind: 'SEARCH', cacheKey, newId: randomUUID(), maxQueueDepth });
  async function submitQueued(cacheKey: string) {
    const d = await submit(cacheKey);
    if (d.status !== 'QUEUED') throw new Error(`expected QUEUED, got ${d.status}`);
    return d.task;
  }
  async function startTask(taskId: string, maxStalls = 2) {
    const d = await store.start(taskId, maxStalls);
    if (d.outcome !== 'STARTED') throw new Error(`expected STARTED, got ${d.outcome}`);
    return d.task;
  }

  describe('when a question is submitted and run to success', () => {
    it('goes PENDING -> STARTED -> PROGRESS -> SUCCESS, records before events, and then serves the cache', async () => {
      const ck = key(1);
      const task = await submitQueued(ck);
      expect(task).toMatchObject({ state: 'PENDING', progress: 0, attempts: 0, error: null, cacheKey: ck, kind: 'SEARCH' });
      expect(await redis.get(`${prefix}:inflight:${ck}`)).toBe(task.id);
      expect(await redis.ttl(`${prefix}:task:${task.id}`)).toBeGreaterThan(3600);

      const started = await startTask(task.id);
      expect(started).toMatchObject({ state: 'STARTED', attempts: 1, progress: 0 });
      expect(started.startedAt).not.toBeNull();
      expect(await store.progress(task.id, 1, 30, 'Counting matching contracts')).toBe(true);
      expect(await store.progress(task.id, 1, 10, 'Counting matching contracts')).toBe(true); // lower: kept at 30, no event
      expect(await store.progress(task.id, 1, 60, 'Reading the page')).toBe(true);
      expect(await store.getResult(ck)).toMatchObject({ status: 'NOT_READY', result: null });

      const beforeEnd = await redisNow();
      const done = await store.succeed(task.id, 1, RESULT);
      const afterEnd = await redisNow();
      expect(done).toMatchObject({ state: 'SUCCESS', progress: 100, error: null, attempts: 1 });
      expect(done?.finishedAt).not.toBeNull();

      const end = await events.waitForEnd(task.id, 5000);
      expect(end.state).toBe('SUCCESS');
      expect(events.of(task.id).map((e) => [e.state, e.progress, e.status])).toEqual([
        ['PENDING', 0, 'Waiting for a worker'],
        ['STARTED', 0, 'Started'],
        ['PROGRESS', 30, 'Counting matching contracts'],
        ['PROGRESS', 60, 'Reading the page'],
        ['SUCCESS', 100, 'Done'],
      ]);
      expect(events.of(task.id).every((e) => e.cacheKey === ck && e.error === null)).toBe(true);

      // The record and the result expire together, RESULT_TTL after the end (on Redis's clock,
      // to the second: EXPIRE takes seconds); the claim is released.
      const expiry = await expiresAt(`${prefix}:result:${ck}`);
      // Together: Redis's clock may tick between the script's two EXPIREs, so within 2 ms.
      expect(Math.abs((await expiresAt(`${prefix}:task:${task.id}`)) - expiry)).toBeLessThanOrEqual(2);
      // Expiries are set from Redis's cached command time, which can trail TIME by a
      // millisecond: the bounds allow for that, and nothing more.
      expect(expiry).toBeGreaterThanOrEqual(beforeEnd - 2 + RESULT_TTL * 1000);
      expect(expiry).toBeLessThanOrEqual(afterEnd + 2 + RESULT_TTL * 1000);
      expect(await redis.exists(`${prefix}:inflight:${ck}`)).toBe(0);

      expect(await store.getResult(ck)).toEqual({ status: 'READY', message: 'The result is ready.', result: RESULT });
      const again = await submit(ck);
      expect(again).toMatchObject({ status: 'CACHED', task: { id: task.id, state: 'SUCCESS', progress: 100 } });
    });
  });

  describe('when the record of a cached result is gone but the result is not', () => {
    it('answers CACHED with a SUCCESS record that taskStatus can read and that expires with the result', async () => {
      const ck = key(2);
      const task = await submitQueued(ck);
      await startTask(task.id);
      await store.succeed(task.id, 1, RESULT);
      await redis.del(`${prefix}:task:${task.id}`);
      const ticket = await submit(ck);
      if (ticket.status !== 'CACHED') throw new Error(ticket.status);
      expect(ticket.task).toMatchObject({ state: 'SUCCESS', progress: 100, cacheKey: ck });
      expect(await store.getTask(ticket.task.id)).toEqual(ticket.task);
      expect(Math.abs((await expiresAt(`${prefix}:task:${ticket.task.id}`)) - (await expiresAt(`${prefix}:result:${ck}`)))).toBeLessThanOrEqual(2);
    });
  });

  describe('when identical questions are submitted concurrently', () => {
    it('creates exactly one task per cache key (500 submits of 50 keys -> 50 tasks)', async () => {
      const keys = Array.from({ length: 50 }, (_, i) => key(1000 + i));
      const decisions = await Promise.all(Array.from({ length: 500 }, (_, i) => submit(keys[i % 50] as string)));
      const queued = decisions.filter((d) => d.status === 'QUEUED');
      expect(queued).toHaveLength(50);
      expect(decisions.filter((d) => d.status === 'DEDUPLICATED')).toHaveLength(450);
      const idByKey = new Map<string, Set<string>>();
      for (const d of decisions) {
        if (d.status === 'QUEUE_FULL' || d.status === 'RATE_LIMITED' || d.status === 'VERSION') throw new Error('unexpected QUEUE_FULL');
        const set = idByKey.get(d.task.cacheKey) ?? new Set();
        set.add(d.task.id);
        idByKey.set(d.task.cacheKey, set);
      }
      expect([...idByKey.values()].every((ids) => ids.size === 1)).toBe(true);
      expect(idByKey.size).toBe(50);
    });
  });

  describe('when an attempt fails and the next one fails too', () => {
    it('shows RETRY with the error, deduplicates onto the waiting task, then FAILURE and taskResult FAILED', async () => {
      const ck = key(3);
      const task = await submitQueued(ck);
      await startTask(task.id);
      const retrying = await store.retry(task.id, 1, 'Database error: permission denied for table contracts', 'Attempt 1 failed; retrying in 1 s');
      expect(retrying).toMatchObject({ state: 'RETRY', error: 'Database error: permission denied for table contracts', attempts: 1 });
      expect(await submit(ck)).toMatchObject({ status: 'DEDUPLICATED', task: { id: task.id, state: 'RETRY' } });
      expect((await store.getResult(ck)).status).toBe('NOT_READY');

      const second = await startTask(task.id);
      expect(second).toMatchObject({ state: 'STARTED', attempts: 2, error: null });
      const failed = await store.fail(task.id, 2, 'Database error: permission denied for table contracts', 'Failed after 2 attempts');
      expect(failed).toMatchObject({ state: 'FAILURE', attempts: 2 });
      expect(await store.getResult(ck)).toEqual({
        status: 'FAILED',
        message: 'Database error: permission denied for table contracts',
        result: null,
      });
      expect((await events.waitForEnd(task.id, 5000)).error).toBe('Database error: permission denied for table contracts');
      expect(events.of(task.id).map((e) => e.state)).toEqual(['PENDING', 'STARTED', 'RETRY', 'STARTED', 'FAILURE']);

      // A failed question can be asked again: a new task.
      const fresh = await submit(ck);
      expect(fresh.status).toBe('QUEUED');
      if (fresh.status === 'QUEUE_FULL' || fresh.status === 'RATE_LIMITED' || fresh.status === 'VERSION') throw new Error();
      expect(fresh.task.id).not.toBe(task.id);
    });
  });

  describe('when a presumed-dead worker comes back after its task was taken over', () => {
    it('ignores the old attempt\'s progress and outcome', async () => {
      const ck = key(4);
      const task = await submitQueued(ck);
      await startTask(task.id);
      await startTask(task.id); // redelivered after a stall: attempt 2 owns the task now
      expect(await store.progress(task.id, 1, 50, 'old')).toBe(false);
      expect(await store.succeed(task.id, 1, RESULT)).toBeNull();
      expect(await redis.exists(`${prefix}:result:${ck}`)).toBe(0);
      expect(await store.getTask(task.id)).toMatchObject({ state: 'STARTED', attempts: 2, progress: 0 });
      expect(await store.succeed(task.id, 2, RESULT)).toMatchObject({ state: 'SUCCESS' });
    });
  });

  describe('when a task keeps killing its workers', () => {
    it('is run again after up to maxStalls deaths, then fails with a readable error', async () => {
      const ck = key(5);
      const task = await submitQueued(ck);
      await startTask(task.id, 2); // dies
      await startTask(task.id, 2); // 1 death so far: run again; dies
      await startTask(task.id, 2); // 2 deaths: still tolerated; dies
      const last = await store.start(task.id, 2); // 3 deaths > 2
      expect(last.outcome).toBe('CRASHED');
      if (last.outcome === 'MISSING') throw new Error();
      expect(last.task).toMatchObject({ state: 'FAILURE', attempts: 3 });
      expect(last.task.error).toMatch(/^A worker crashed 3 times while running this task/);
      expect((await store.getResult(ck)).status).toBe('FAILED');
      expect(await redis.exists(`${prefix}:inflight:${ck}`)).toBe(0);
      expect((await store.start(task.id, 2)).outcome).toBe('TERMINAL');
    });

    it('does not count attempts that ended normally as deaths', async () => {
      const task = await submitQueued(key(6));
      await startTask(task.id, 0);
      await store.retry(task.id, 1, 'boom', 'retrying');
      expect((await store.start(task.id, 0)).outcome).toBe('STARTED');
    });
  });

  describe('when a producer died between creating the record and queueing the job', () => {
    it('fails the orphaned PENDING task on the next identical submit and queues a new one', async () => {
      const ck = key(7);
      const orphan = await submitQueued(ck);
      expect(await submit(ck)).toMatchObject({ status: 'DEDUPLICATED' }); // young: could still be queued
      await redis.hset(`${prefix}:task:${orphan.id}`, 'createdMs', String(Date.now() - 60_000));
      const next = await submit(ck);
      expect(next.status).toBe('QUEUED');
      expect(await store.getTask(orphan.id)).toMatchObject({ state: 'FAILURE', error: expect.stringMatching(/lost before it reached the queue/) });
    });
  });

  describe('when looking up results', () => {
    it('answers NOT_FOUND for unknown keys and for strings that are not cache keys', async () => {
      expect((await store.getResult(key(999))).status).toBe('NOT_FOUND');
      expect(await store.getResult('search:nothex')).toMatchObject({ status: 'NOT_FOUND', result: null });
      expect(await store.getTask(randomUUID())).toBeNull();
    });
  });

  describe('counters', () => {
    it('count tickets, tasks per state and attempts, exactly', async () => {
      // A prefix of its own: the counters see only what this test does.
      const own = testQueuePrefix('store_counters');
      const s = createTaskStore(redis, { prefix: own, resultTtlSeconds: RESULT_TTL });
      try {
        const newTask = async (ck: string) => {
          const d = await s.submit({ kind: 'SEARCH', cacheKey: ck, newId: randomUUID(), maxQueueDepth: 0 });
          if (d.status !== 'QUEUED') throw new Error(`expected QUEUED, got ${d.status}`);
          return d.task;
        };
        const [a, b, c, d] = [await newTask(key(11)), await newTask(key(12)), await newTask(key(13)), await newTask(key(14))];
        expect((await s.submit({ kind: 'SEARCH', cacheKey: key(11), newId: randomUUID(), maxQueueDepth: 0 })).status).toBe('DEDUPLICATED');
        for (const t of [a, b, c]) expect((await s.start(t.id, 2)).outcome).toBe('STARTED');
        await s.succeed(a.id, 1, RESULT);
        await s.fail(b.id, 1, 'broken');
        await s.retry(c.id, 1, 'try again', 'Retrying');
        expect((await s.submit({ kind: 'SEARCH', cacheKey: key(11), newId: randomUUID(), maxQueueDepth: 0 })).status).toBe('CACHED');
        void d; // stays PENDING

        const counters = await s.counters();
        expect(counters.SEARCH).toEqual({
          tickets: { QUEUED: 4, CACHED: 1, DEDUPLICATED: 1 },
          states: { PENDING: 1, STARTED: 0, PROGRESS: 0, RETRY: 1, SUCCESS: 1, FAILURE: 1 },
          attempts: 3,
        });
        const none = { tickets: { QUEUED: 0, CACHED: 0, DEDUPLICATED: 0 }, states: { PENDING: 0, STARTED: 0, PROGRESS: 0, RETRY: 0, SUCCESS: 0, FAILURE: 0 }, attempts: 0 };
        expect([counters.ANALYTICS, counters.ANALYTICS_TABLE]).toEqual([none, none]);
      } finally {
        await deletePrefix(redis, own);
      }
    });
  });
});
