// TASK_TIMEOUT_SECONDS really stops the work: the PostgreSQL statement is cancelled, not
// abandoned. The slow query is genuinely slow: it waits for a lock the test holds.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeQueries, createHarness, lockContracts, type Harness } from './support/harness.js';

describe('worker timeout', () => {
  let h: Harness;
  let locker: pg.Client;
  let observer: pg.Client;

  beforeAll(async () => {
    h = await createHarness('worker_timeout', { workerEnv: { TASK_TIMEOUT_SECONDS: '1', TASK_MAX_RETRIES: '2' } });
    locker = await h.sql();
    observer = await h.sql();
    await h.startWorker();
    // One ordinary task first, so the timed-out attempt below provably spends its second
    // inside PostgreSQL (its connection and transaction already warm).
    expect(await h.waitForEnd(await h.queue.submit('SEARCH', { filters: {} }))).toMatchObject({ state: 'SUCCESS' });
  });
  afterAll(async () => h?.teardown());

  describe('when a task runs longer than TASK_TIMEOUT_SECONDS', () => {
    it('fails at once (no retry) with a timeout error, and its query is gone from pg_stat_activity', async () => {
      const release = await lockContracts(locker);
      try {
        const ticket = await h.queue.submit('ANALYTICS', { filters: { keywords: ['road'] } });
        await h.events.waitFor(ticket.taskId, (e) => e.state === 'STARTED');
        // The worker's query is running (waiting on the lock) before the deadline...
        await expect.poll(async () => (await activeQueries(observer)).length, { timeout: 5000, interval: 50 }).toBeGreaterThan(0);
        const blocked = await activeQueries(observer);
        expect(blocked.every((q) => q.wait_event_type === 'Lock')).toBe(true);

        const task = await h.waitForEnd(ticket, 15_000);
        expect(task).toMatchObject({ state: 'FAILURE', attempts: 1 });
        expect(task?.error).toMatch(/^Timed out after 1 s/);
        expect(h.events.of(ticket.taskId).map((e) => e.state).filter((s) => s !== 'PROGRESS')).toEqual(['PENDING', 'STARTED', 'FAILURE']);
        expect(await h.queue.getResult(ticket.cacheKey)).toMatchObject({ status: 'FAILED', message: task?.error });

        // ...and cancelled after it, while the lock is still held: nothing would have ended it otherwise.
        await expect.poll(async () => (await activeQueries(observer)).map((q) => q.pid), { timeout: 5000, interval: 50 }).toEqual([]);
      } finally {
        await release();
      }
    });
  });
});
