// A Redis restart (all keys and the Lua script cache gone) must not leave workers deaf:
// they reconnect, reload bee-queue's scripts, take new tasks and still recover stalled ones.
// Runs against a private redis-server so the shared one is never touched.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskTicket } from '../../src/tasks/index.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/outage.js';
import { createHarness, lockContracts, type Harness } from './support/harness.js';
import { killWorker, type WorkerProcess } from '../helpers/worker-process.js';

describe('workers across a Redis restart', () => {
  let redis: PrivateRedis;
  let h: Harness;
  let workers: WorkerProcess[];
  let locker: pg.Client;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    h = await createHarness('worker_redis_restart', { redisUrl: redis.url, workerEnv: { STALL_INTERVAL_MS: '1000' } });
    locker = await h.sql();
    workers = await Promise.all([h.startWorker(), h.startWorker()]);
  });
  afterAll(async () => {
    await h?.teardown().catch(() => {});
    await redis?.stop();
  });

  describe('when Redis restarts empty', () => {
    it('keeps taking tasks and recovering the task of a worker that dies afterwards', async () => {
      expect(await h.waitForEnd(await h.queue.submit('SEARCH', { filters: { keywords: ['road'] } }))).toMatchObject({ state: 'SUCCESS' });

      await redis.stop();
      await redis.start();

      // The producer reconnects on its own; submit as soon as it does.
      let ticket: TaskTicket | undefined;
      await expect
        .poll(async () => {
          ticket = await h.queue.submit('ANALYTICS', { filters: { keywords: ['flood'] } }).catch(() => undefined);
          return ticket?.status;
        }, { timeout: 20_000 })
        .toBe('QUEUED');
      expect(await h.waitForEnd(ticket!, 30_000)).toMatchObject({ state: 'SUCCESS', attempts: 1 });

      // Stall recovery needs bee-queue's checkStalledJobs script in the surviving worker.
      const release = await lockContracts(locker);
      try {
        const stalled = await h.queue.submit('ANALYTICS_TABLE', { filters: { keywords: ['school'] }, dimension: 'AREA' });
        await h.events.waitFor(stalled.taskId, (e) => e.state === 'STARTED', 15_000);
        await expect.poll(() => workers.findIndex((w) => w.output().includes(stalled.taskId)), { timeout: 5000 }).toBeGreaterThanOrEqual(0);
        const runner = workers.find((w) => w.output().includes(stalled.taskId))!;
        // And once more without a reconnect to notice: the survivor must reload on NOSCRIPT.
        await h.redis.script('FLUSH');
        await killWorker(runner, 'SIGKILL');
        await h.events.waitFor(stalled.taskId, () => h.events.of(stalled.taskId).filter((e) => e.state === 'STARTED').length === 2, 20_000);
        await release();
        expect(await h.waitForEnd(stalled)).toMatchObject({ state: 'SUCCESS', attempts: 2 });
      } finally {
        await release().catch(() => {});
      }
    });
  });
});
