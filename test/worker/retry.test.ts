// Retries, with the failure injected honestly: the worker connects as a PostgreSQL role
// that is refused SELECT on contracts, and the test grants it back (or not).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaskQueue } from '../../src/tasks/index.js';
import { ADMIN_URL, TEST_REDIS_URL } from '../helpers/db.js';
import { createHarness, type Harness } from './support/harness.js';

describe('worker retries', () => {
  const role = `kontrata_test_worker_${randomBytes(4).toString('hex')}`;
  let h: Harness;
  let admin: pg.Client;

  beforeAll(async () => {
    // 3 s before the retry: ample time for the test to grant the privilege back (it does so
    // the moment it sees RETRY), even on a loaded machine.
    h = await createHarness('worker_retry', { workerEnv: { TASK_MAX_RETRIES: '2', TASK_RETRY_BACKOFF_MS: '3000' } });
    admin = await h.sql();
    await admin.query(`CREATE ROLE "${role}" LOGIN`);
    await admin.query(`GRANT CONNECT ON DATABASE "${h.db.name}" TO "${role}"`);
    // CREATE: the worker runs the (idempotent) migration runner at start.
    await admin.query(`GRANT USAGE, CREATE ON SCHEMA public TO "${role}"`);
    await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO "${role}"`);
    await admin.query(`REVOKE SELECT ON contracts FROM "${role}"`);
    const url = new URL(h.db.url);
    url.username = role;
    await h.startWorker({ DATABASE_URL: url.toString() });
  });
  afterAll(async () => {
    await h?.teardown(); // drops the database, and with it the role's privileges
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`DROP ROLE IF EXISTS "${role}"`).finally(() => c.end());
  });

  describe('when the first attempt fails and the second can succeed', () => {
    it('goes through RETRY (error set) and ends in SUCCESS with attempts = 2', async () => {
      const ticket = await h.queue.submit('SEARCH', { filters: { keywords: ['school'] } });
      const retry = await h.events.waitFor(ticket.taskId, (e) => e.state === 'RETRY');
      expect(retry.error).toMatch(/permission denied for table contracts/);
      expect(retry.status).toMatch(/^Attempt 1 failed; retrying in 3 s$/);
      const during = await h.queue.getTask(ticket.taskId);
      expect(during).toMatchObject({ state: 'RETRY', attempts: 1, error: retry.error });
      await admin.query(`GRANT SELECT ON contracts TO "${role}"`);

      const task = await h.waitForEnd(ticket);
      expect(task).toMatchObject({ state: 'SUCCESS', attempts: 2, error: null, progress: 100 });
      const states = h.events.of(ticket.taskId).map((e) => e.state).filter((s) => s !== 'PROGRESS');
      expect(states).toEqual(['PENDING', 'STARTED', 'RETRY', 'STARTED', 'SUCCESS']);
      expect((await h.queue.getResult(ticket.cacheKey)).status).toBe('READY');
    });
  });

  describe('when every attempt fails', () => {
    it('retries TASK_MAX_RETRIES times, then FAILURE with a readable error, and taskResult FAILED', async () => {
      await admin.query(`REVOKE SELECT ON contracts FROM "${role}"`);
      // Backoff is a job option set by the producer: a quick one here, nothing to wait for.
      const fast = createTaskQueue({ redisUrl: TEST_REDIS_URL, prefix: h.prefix, resultTtlSeconds: 300, maxRetries: 2, retryBackoffMs: 100, db: h.db.prisma });
      const ticket = await fast.submit('ANALYTICS', { filters: { keywords: ['laptops'] } }).finally(() => fast.close());
      const task = await h.waitForEnd(ticket, 30_000);
      expect(task).toMatchObject({ state: 'FAILURE', attempts: 3 });
      expect(task?.error).toBe('Database error: permission denied for table contracts (SQLSTATE 42501)');
      const states = h.events.of(ticket.taskId).map((e) => e.state).filter((s) => s !== 'PROGRESS');
      expect(states).toEqual(['PENDING', 'STARTED', 'RETRY', 'STARTED', 'RETRY', 'STARTED', 'FAILURE']);
      expect(await h.queue.getResult(ticket.cacheKey)).toEqual({ status: 'FAILED', message: task?.error, result: null });

      // The key is free again: asking again makes a new task.
      await admin.query(`GRANT SELECT ON contracts TO "${role}"`);
      const again = await h.queue.submit('ANALYTICS', { filters: { keywords: ['laptops'] } });
      expect(again.status).toBe('QUEUED');
      expect(again.taskId).not.toBe(ticket.taskId);
      expect(await h.waitForEnd(again)).toMatchObject({ state: 'SUCCESS', attempts: 1 });
    });
  });
});
