// Worker deaths and shutdowns with real processes and real signals. Tasks are held
// mid-run by a lock on contracts (their query is running, waiting for it), so "mid-task"
// is a fact, not a race.
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { activeQueries, createHarness, lockContracts, type Harness } from './support/harness.js';
import { killWorker } from '../helpers/worker-process.js';

describe('worker crashes and shutdowns', () => {
  let h: Harness;
  let locker: pg.Client;
  let observer: pg.Client;
  let release: () => Promise<void> = async () => {};

  beforeAll(async () => {
    h = await createHarness('worker_crash', { workerEnv: { STALL_INTERVAL_MS: '1000', TASK_MAX_STALLS: '2' } });
    locker = await h.sql();
    observer = await h.sql();
  });
  afterEach(async () => {
    await release();
    release = async () => {};
    await h.killAllWorkers();
  });
  afterAll(async () => h?.teardown());

  /** Waits until the task is STARTED and its query is running (blocked on our lock). */
  async function waitUntilMidTask(taskId: string, startedCount = 1): Promise<void> {
    await h.events.waitFor(taskId, () => h.events.of(taskId).filter((e) => e.state === 'STARTED').length >= startedCount, 15_000);
    await expect.poll(async () => (await activeQueries(observer)).some((q) => q.wait_event_type === 'Lock'), { timeout: 5000, interval: 50 }).toBe(true);
  }

  describe('when a worker is killed with SIGKILL mid-task', () => {
    it('another worker picks the task up within seconds and completes it', async () => {
      release = await lockContracts(locker);
      const doomed = await h.startWorker();
      const ticket = await h.queue.submit('SEARCH', { filters: { keywords: ['concreting'] } });
      await waitUntilMidTask(ticket.taskId);
      await killWorker(doomed, 'SIGKILL');
      await h.startWorker();
      // STALL_INTERVAL_MS is 1 s: the task is handed over within about two intervals (the
      // bound here is generous for loaded machines; bench numbers, not tests, measure speed).
      await h.events.waitFor(ticket.taskId, () => h.events.of(ticket.taskId).filter((e) => e.state === 'STARTED').length === 2, 20_000);
      await release();
      const task = await h.waitForEnd(ticket);
      expect(task).toMatchObject({ state: 'SUCCESS', attempts: 2, progress: 100, error: null });
      expect((await h.queue.getResult(ticket.cacheKey)).status).toBe('READY');
    });
  });

  describe('when a task kills every worker that runs it', () => {
    it('is given up after TASK_MAX_STALLS re-runs, with a readable error, instead of looping forever', async () => {
      release = await lockContracts(locker);
      const ticket = await h.queue.submit('ANALYTICS', { filters: { keywords: ['hospital'] } });
      for (let death = 1; death <= 3; death++) {
        const w = await h.startWorker();
        await waitUntilMidTask(ticket.taskId, death);
        await killWorker(w, 'SIGKILL');
      }
      await h.startWorker();
      const task = await h.waitForEnd(ticket, 15_000);
      expect(task).toMatchObject({ state: 'FAILURE', attempts: 3 });
      expect(task?.error).toMatch(/^A worker crashed 3 times while running this task/);
      expect(h.events.of(ticket.taskId).map((e) => e.state).filter((s) => s !== 'PROGRESS')).toEqual([
        'PENDING', 'STARTED', 'STARTED', 'STARTED', 'FAILURE',
      ]);
      expect(await h.queue.getResult(ticket.cacheKey)).toMatchObject({ status: 'FAILED', message: task?.error });
    });
  });

  describe('when a worker gets SIGTERM while a short task runs', () => {
    it('stops taking tasks, finishes the running one, and exits 0', async () => {
      release = await lockContracts(locker);
      const w = await h.startWorker({ SHUTDOWN_GRACE_SECONDS: '20', WORKER_CONCURRENCY: '2' });
      const running = await h.queue.submit('SEARCH', { filters: { keywords: ['laptops'] }, page: 3 });
      await waitUntilMidTask(running.taskId);
      w.child.kill('SIGTERM');
      await expect.poll(() => w.output().includes('"msg":"worker stopping"'), { timeout: 10_000, interval: 50 }).toBe(true);
      // A free slot, but the worker is shutting down: this task must wait for another worker.
      // No wait is needed before releasing: a worker still taking tasks would pop this job the
      // moment it is queued (its blocking pop is waiting), long before it could exit.
      const later = await h.queue.submit('SEARCH', { filters: { keywords: ['laptops'] }, page: 4 });
      await release(); // the running task can now finish within the grace period
      expect(await w.exited).toEqual({ code: 0, signal: null });
      expect(await h.queue.getTask(running.taskId)).toMatchObject({ state: 'SUCCESS', attempts: 1 });
      expect(await h.queue.getTask(later.taskId)).toMatchObject({ state: 'PENDING', attempts: 0 });
      expect(w.output()).toMatch(/"msg":"worker stopped"/);

      await h.startWorker();
      expect(await h.waitForEnd(later)).toMatchObject({ state: 'SUCCESS', attempts: 1 });
    });
  });

  describe('when a worker gets SIGTERM and its task outlasts the grace period', () => {
    it('cancels the query, exits 0, and the task is completed by another worker', async () => {
      release = await lockContracts(locker);
      const w = await h.startWorker({ SHUTDOWN_GRACE_SECONDS: '1', WORKER_CONCURRENCY: '1' });
      const ticket = await h.queue.submit('ANALYTICS_TABLE', { filters: { keywords: ['building'] }, dimension: 'ORGANIZATION' });
      await waitUntilMidTask(ticket.taskId);
      w.child.kill('SIGTERM');
      expect(await w.exited).toEqual({ code: 0, signal: null });
      const interrupted = await h.queue.getTask(ticket.taskId);
      expect(interrupted).toMatchObject({ state: 'RETRY', attempts: 1 });
      expect(interrupted?.error).toMatch(/worker shut down/);
      // Its query was cancelled, not left behind waiting on the lock.
      expect(await activeQueries(observer)).toEqual([]);

      await h.startWorker();
      await release();
      expect(await h.waitForEnd(ticket)).toMatchObject({ state: 'SUCCESS', attempts: 2 });
    });
  });
});
