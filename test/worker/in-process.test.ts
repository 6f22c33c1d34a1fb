// startWorker used in-process (as tests and embedders do): runs tasks, reports its
// heartbeat, and stop() interrupts a task that outlasts the grace period.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../src/db/prisma.js';
import { TEST_REDIS_URL } from '../helpers/db.js';
import { startWorker, type RunningWorker } from '../../worker/worker.js';
import { activeQueries, createHarness, lockContracts, type Harness } from './support/harness.js';

describe('startWorker (in-process)', () => {
  let h: Harness;
  let db: Db;
  let worker: RunningWorker;

  beforeAll(async () => {
    h = await createHarness('worker_in_process');
    db = createPrisma(h.db.url, { max: 6 });
  });
  // Each test gets a worker of its own (the second one stops it).
  beforeEach(async () => {
    worker = await startWorker({
      redisUrl: TEST_REDIS_URL,
      prefix: h.prefix,
      db,
      concurrency: 2,
      resultTtlSeconds: 60,
      timeoutSeconds: 30,
      maxStalls: 2,
      stallIntervalMs: 1000,
      heartbeatMs: 200,
    });
  });
  afterEach(async () => {
    await worker?.stop(0);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await h?.teardown();
  });

  describe('when a task is submitted', () => {
    it('runs it to SUCCESS and beats its heartbeat', async () => {
      const ticket = await h.queue.submit('ANALYTICS_TABLE', { filters: {}, dimension: 'BUSINESS_CATEGORY' });
      expect(await h.waitForEnd(ticket)).toMatchObject({ state: 'SUCCESS', attempts: 1 });
      expect(await h.redis.zscore(`${h.prefix}:workers`, worker.id)).not.toBeNull();
      expect(await h.redis.hget(`${h.prefix}:worker:${worker.id}`, 'pid')).toBe(String(process.pid));
    });
  });

  describe('when stopped while a task outlasts the grace period', () => {
    it('cancels the task\'s query, records it RETRY for another worker, and removes its heartbeat', async () => {
      const release = await lockContracts(await h.sql());
      try {
        const ticket = await h.queue.submit('SEARCH', { filters: { keywords: ['supply'] } });
        await h.events.waitFor(ticket.taskId, (e) => e.state === 'STARTED');
        expect(worker.running()).toBe(1);
        await worker.stop(300);
        expect(worker.running()).toBe(0);
        expect(await h.queue.getTask(ticket.taskId)).toMatchObject({ state: 'RETRY', attempts: 1 });
        expect(await activeQueries(await h.sql())).toEqual([]);
        expect(await h.redis.zscore(`${h.prefix}:workers`, worker.id)).toBeNull();
        expect(await h.redis.exists(`${h.prefix}:worker:${worker.id}`)).toBe(0);
        // Back in the queue (bee-queue's delayed retry, not its failed set), for another worker.
        const queued = (await h.redis.zrange(`${h.prefix}:bq:tasks:delayed`, 0, -1)).concat(await h.redis.lrange(`${h.prefix}:bq:tasks:waiting`, 0, -1));
        expect(queued).toContain(ticket.taskId);
      } finally {
        await release();
      }
    });
  });
});
