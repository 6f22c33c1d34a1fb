// The producer with no worker running: validation, cache keys, tickets, the bee-queue job
// it creates, backpressure and atomic deduplication under concurrency.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueFullError, ValidationError } from '../../src/errors.js';
import { createTaskQueue, type TaskQueue } from '../../src/tasks/index.js';
import { bumpDataVersionAsALoad } from '../helpers/data-load.js';
import { createTestDatabase, testQueuePrefix, TEST_REDIS_URL, type TestDatabase } from '../helpers/db.js';
import { createRedis, deletePrefix } from '../helpers/redis.js';

describe('task queue (producer)', () => {
  const prefix = testQueuePrefix('queue');
  let db: TestDatabase;
  let redis: Redis;
  let queue: TaskQueue;
  const waiting = () => redis.llen(`${prefix}:bq:tasks:waiting`);

  beforeAll(async () => {
    db = await createTestDatabase('tasks_queue');
    redis = createRedis();
    queue = createTaskQueue({ redisUrl: TEST_REDIS_URL, prefix, resultTtlSeconds: 60, maxRetries: 2, retryBackoffMs: 500, db: db.prisma });
  });
  afterAll(async () => {
    await queue?.close();
    await deletePrefix(redis, prefix);
    await redis?.quit();
    await db?.drop();
  });

  describe('when the input is invalid', () => {
    it('throws BAD_USER_INPUT naming the field and queues nothing', async () => {
      const before = await redis.keys(`${prefix}:*`);
      await expect(queue.submit('SEARCH', { filters: {}, page: 0 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'page' });
      await expect(
        queue.submit('ANALYTICS', { filters: { timeRanges: [{ year: 2023, quarter: 5 }] } }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        queue.submit('ANALYTICS_TABLE', { filters: { minAmount: 10, maxAmount: 1 }, dimension: 'AREA' }),
      ).rejects.toBeInstanceOf(ValidationError);
      expect(await redis.keys(`${prefix}:*`)).toEqual(before);
    });
  });

  describe('when a question is submitted', () => {
    it('answers QUEUED with a PENDING task and a bee-queue job carrying the canonical input', async () => {
      const ticket = await queue.submit('SEARCH', { filters: { contractors: ['  Petron '] }, page: 2 });
      expect(ticket).toMatchObject({ status: 'QUEUED', taskId: ticket.task.id, cacheKey: ticket.task.cacheKey });
      expect(ticket.cacheKey).toMatch(/^search:[0-9a-f]{64}$/);
      expect(ticket.task).toMatchObject({ kind: 'SEARCH', state: 'PENDING', progress: 0, attempts: 0, error: null, startedAt: null });
      expect(await queue.getTask(ticket.taskId)).toEqual(ticket.task);
      expect(await queue.getResult(ticket.cacheKey)).toMatchObject({ status: 'NOT_READY', result: null });

      const job = JSON.parse((await redis.hget(`${prefix}:bq:tasks:jobs`, ticket.taskId)) ?? 'null');
      expect(job.data.kind).toBe('SEARCH');
      expect(job.data.input).toMatchObject({ page: 2, pageSize: 20, sortBy: 'AWARD_DATE', sortDirection: 'DESC' });
      expect(JSON.stringify(job.data.input.filters.contractors)).toMatch(/petron/);
      expect(job.options).toMatchObject({ retries: 2, backoff: { strategy: 'exponential', delay: 500 } });
      expect(await redis.lrange(`${prefix}:bq:tasks:waiting`, 0, -1)).toContain(ticket.taskId);
    });
  });

  describe('when two inputs mean the same thing', () => {
    it('gives the same cache key and DEDUPLICATED with the same task', async () => {
      const first = await queue.submit('SEARCH', { filters: { contractors: ['EEI', ' petron corp '], keywords: [] } });
      const second = await queue.submit('SEARCH', {
        sortDirection: 'DESC',
        filters: { keywords: null, contractors: ['Petron Corp', 'eei', 'EEI'] },
        page: 1,
        pageSize: 20,
        sortBy: 'AWARD_DATE',
      });
      expect(second.cacheKey).toBe(first.cacheKey);
      expect(second).toMatchObject({ status: 'DEDUPLICATED', taskId: first.taskId });
    });
  });

  describe('when inputs differ in page, sort, kind or data version', () => {
    it('gives different cache keys', async () => {
      const base = { filters: { organizations: ['dpwh'] } };
      const keys = [
        (await queue.submit('SEARCH', base)).cacheKey,
        (await queue.submit('SEARCH', { ...base, page: 2 })).cacheKey,
        (await queue.submit('SEARCH', { ...base, sortBy: 'AMOUNT' })).cacheKey,
        (await queue.submit('SEARCH', { ...base, sortDirection: 'ASC' })).cacheKey,
        (await queue.submit('ANALYTICS', base)).cacheKey,
        (await queue.submit('ANALYTICS_TABLE', { ...base, dimension: 'AREA' })).cacheKey,
        (await queue.submit('ANALYTICS_TABLE', { ...base, dimension: 'CONTRACTOR' })).cacheKey,
      ];
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys[4]).toMatch(/^analytics:/);
      expect(keys[5]).toMatch(/^analytics_table:/);

      await bumpDataVersionAsALoad(db.url, prefix);
      const after = await queue.submit('SEARCH', base);
      expect(after.status).toBe('QUEUED');
      expect(keys).not.toContain(after.cacheKey);
    });
  });

  describe('when 500 submissions of 50 distinct questions arrive at once', () => {
    it('creates exactly 50 tasks and 50 jobs, and every ticket of a question has its task', async () => {
      const jobsBefore = await waiting();
      const inputs = Array.from({ length: 50 }, (_, i) => ({ filters: { keywords: [`load question ${i}`] }, topN: 5 }));
      const tickets = await Promise.all(Array.from({ length: 500 }, (_, i) => queue.submit('ANALYTICS', inputs[i % 50]!)));
      expect(tickets.filter((t) => t.status === 'QUEUED')).toHaveLength(50);
      expect(tickets.filter((t) => t.status === 'DEDUPLICATED')).toHaveLength(450);
      for (let i = 0; i < 50; i++) {
        const ids = new Set(tickets.filter((_, j) => j % 50 === i).map((t) => t.taskId));
        expect(ids.size).toBe(1);
      }
      expect((await waiting()) - jobsBefore).toBe(50);
    });
  });

  describe('when the queue holds maxQueueDepth waiting tasks', () => {
    it('throws QUEUE_FULL and queues nothing, while identical questions still deduplicate', async () => {
      const p = testQueuePrefix('queue_full');
      const small = createTaskQueue({ redisUrl: TEST_REDIS_URL, prefix: p, resultTtlSeconds: 60, maxRetries: 0, maxQueueDepth: 3, db: db.prisma });
      try {
        const first = await small.submit('SEARCH', { filters: { keywords: ['a'] } });
        await small.submit('SEARCH', { filters: { keywords: ['b'] } });
        await small.submit('SEARCH', { filters: { keywords: ['c'] } });
        await expect(small.submit('SEARCH', { filters: { keywords: ['d'] } })).rejects.toBeInstanceOf(QueueFullError);
        await expect(small.submit('SEARCH', { filters: { keywords: ['d'] } })).rejects.toMatchObject({ code: 'QUEUE_FULL' });
        expect(await redis.llen(`${p}:bq:tasks:waiting`)).toBe(3);
        expect(await small.submit('SEARCH', { filters: { keywords: ['a'] } })).toMatchObject({ status: 'DEDUPLICATED', taskId: first.taskId });
      } finally {
        await small.close();
        await deletePrefix(redis, p);
      }
    });
  });

  describe('when asked about unknown tasks and keys', () => {
    it('answers null and NOT_FOUND without failing', async () => {
      expect(await queue.getTask('no-such-task')).toBeNull();
      expect((await queue.getResult(`search:${'0'.repeat(64)}`)).status).toBe('NOT_FOUND');
      expect(queue.progressTopic).toBe(`${prefix}:task:progress`);
    });
  });
});
