// A real worker process runs each kind of task: exact event sequence, a result equal to
// the synchronous engine's, CACHED and DEDUPLICATED tickets, and a bad payload.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsTable, contractAnalytics, searchContracts } from '../../src/contracts/index.js';
import type { ProgressUpdate } from '../../src/contracts/types.js';
import { exportContracts } from '../../src/exports/index.js';
import type { TaskKind, TaskPayloads } from '../../src/tasks/index.js';
import { bumpDataVersionAsALoad } from '../helpers/data-load.js';
import { createHarness, lockContracts, type Harness } from './support/harness.js';
import type { WorkerProcess } from '../helpers/worker-process.js';

/** What the task's PROGRESS events must be for these engine updates: percent capped at 99, repeats dropped. */
function expectedProgress(updates: ProgressUpdate[]): [number, string][] {
  const out: [number, string][] = [];
  let last: [number, string] = [-1, ''];
  for (const u of updates) {
    const pct = Math.max(last[0], Math.min(99, Math.floor((100 * u.done) / u.total)));
    const msg = u.message || 'Working';
    if (pct === last[0] && msg === last[1]) continue;
    last = [pct, msg];
    out.push(last);
  }
  return out;
}

// Exports go to a directory of this test file's own (the worker's EXPORT_DIR too).
let exportDir: string;

const CASES: { [K in TaskKind]: { input: TaskPayloads[K]; direct: (h: Harness, input: TaskPayloads[K], onProgress: (u: ProgressUpdate) => void) => Promise<unknown>; comparable?: (data: any) => unknown } } = {
  SEARCH: {
    input: { filters: { keywords: ['road'], minAmount: 1000 }, page: 2, pageSize: 7, sortBy: 'AMOUNT', sortDirection: 'DESC' },
    direct: (h, input, onProgress) => searchContracts(h.db.prisma, input, { onProgress }),
  },
  ANALYTICS: {
    input: { filters: { organizations: ['dpwh'] }, topN: 3 },
    direct: (h, input, onProgress) => contractAnalytics(h.db.prisma, input, { onProgress }),
  },
  ANALYTICS_TABLE: {
    input: { filters: { timeRanges: [{ year: 2021 }, { from: '2023-03-01', to: null }] }, dimension: 'AREA', sortBy: 'COUNT', pageSize: 3 },
    direct: (h, input, onProgress) => analyticsTable(h.db.prisma, input, { onProgress }),
  },
  EXPORT: {
    input: { filters: { keywords: ['road'] }, dimension: null },
    direct: (h, input, onProgress) => exportContracts(h.db.prisma, input, { onProgress, files: { dir: exportDir, ttlSeconds: 300 } }),
    // Every export is a new file: the same rows, bytes and columns, another url and expiry.
    comparable: ({ url, expiresAt, ...rest }) => ({ ...rest, url: typeof url, expiresAt: typeof expiresAt }),
  },
};

describe('worker process', () => {
  let h: Harness;
  let worker: WorkerProcess;
  beforeAll(async () => {
    exportDir = await mkdtemp(path.join(os.tmpdir(), 'kontrata-lifecycle-'));
    h = await createHarness('worker_lifecycle', { workerEnv: { EXPORT_DIR: exportDir } });
    worker = await h.startWorker();
  });
  afterAll(async () => {
    await h?.teardown();
    if (exportDir) await rm(exportDir, { recursive: true, force: true });
  });

  describe.each(Object.keys(CASES) as TaskKind[])('when a %s task is submitted', (kind) => {
    it('publishes PENDING, STARTED, the engine\'s real steps, SUCCESS, and stores the engine\'s answer', async () => {
      const c = CASES[kind] as (typeof CASES)['SEARCH'];
      const updates: ProgressUpdate[] = [];
      const expected = await c.direct(h, c.input, (u) => updates.push(u));
      expect(updates.length).toBeGreaterThan(0);

      const ticket = await h.queue.submit(kind, c.input as never);
      expect(ticket.status).toBe('QUEUED');
      const task = await h.waitForEnd(ticket);
      expect(task).toMatchObject({ state: 'SUCCESS', progress: 100, attempts: 1, error: null, kind });
      expect(task?.startedAt).not.toBeNull();
      expect(task?.finishedAt).not.toBeNull();

      const events = h.events.of(ticket.taskId);
      expect(events.map((e) => e.state)).toEqual(['PENDING', 'STARTED', ...events.filter((e) => e.state === 'PROGRESS').map(() => 'PROGRESS'), 'SUCCESS']);
      expect(events.filter((e) => e.state === 'PROGRESS').map((e) => [e.progress, e.status])).toEqual(expectedProgress(updates));
      expect(events.every((e) => e.cacheKey === ticket.cacheKey && e.taskId === ticket.taskId)).toBe(true);

      const result = await h.queue.getResult(ticket.cacheKey);
      expect(result.status).toBe('READY');
      const same = c.comparable ?? ((data: unknown) => data);
      expect(result.result?.kind).toBe(kind);
      expect(same(result.result!.data)).toEqual(same(JSON.parse(JSON.stringify(expected))));

      // Everything the task left in Redis lives under the test's prefix.
      const hash = ticket.cacheKey.split(':')[1]!;
      const keys = [...(await h.redis.keys(`*${ticket.taskId}*`)), ...(await h.redis.keys(`*${hash}*`))];
      expect(keys.length).toBeGreaterThanOrEqual(3); // record, result, last
      expect(keys.every((k) => k.startsWith(`${h.prefix}:`))).toBe(true);
    });
  });

  describe('while a worker runs', () => {
    it('keeps a heartbeat with its pid, host and concurrency', async () => {
      const ids = await h.redis.zrange(`${h.prefix}:workers`, 0, -1);
      expect(ids).toHaveLength(1);
      const key = `${h.prefix}:worker:${ids[0]}`;
      const beat = await h.redis.hgetall(key);
      expect(beat).toMatchObject({ id: ids[0], pid: String(worker.pid), concurrency: '2' });
      expect(Date.parse(beat.lastHeartbeat!)).toBeGreaterThanOrEqual(Date.parse(beat.startedAt!));
      // It expires three heartbeats (3 x 5 s) after the last one, unless the next one renews it.
      const ttl = await h.redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(15_000);
      await expect.poll(() => h.redis.hget(key, 'lastHeartbeat'), { timeout: 15_000 }).not.toBe(beat.lastHeartbeat);
    });
  });

  describe('when the same question is submitted after it was answered', () => {
    it('answers CACHED with the task that produced the result', async () => {
      const input = { filters: { contractors: ['petron'] }, topN: 5 };
      const first = await h.queue.submit('ANALYTICS', input);
      await h.waitForEnd(first);
      const again = await h.queue.submit('ANALYTICS', { topN: 5, filters: { contractors: ['PETRON '] } });
      expect(again).toMatchObject({ status: 'CACHED', taskId: first.taskId, cacheKey: first.cacheKey, task: { state: 'SUCCESS', progress: 100 } });
      expect((await h.queue.getResult(again.cacheKey)).status).toBe('READY');
      expect(h.events.of(first.taskId).filter((e) => e.state === 'STARTED')).toHaveLength(1);
    });
  });

  describe('when the same question is submitted while it is running', () => {
    it('answers DEDUPLICATED with the running task, which then succeeds once', async () => {
      const release = await lockContracts(await h.sql());
      let taskId = '';
      try {
        const input = { filters: { keywords: ['flood'] } };
        const first = await h.queue.submit('SEARCH', input);
        taskId = first.taskId;
        await h.events.waitFor(first.taskId, (e) => e.state === 'STARTED');
        const second = await h.queue.submit('SEARCH', input);
        expect(second).toMatchObject({ status: 'DEDUPLICATED', taskId: first.taskId });
        expect(['STARTED', 'PROGRESS']).toContain(second.task.state);
      } finally {
        await release();
      }
      expect(await h.waitForEnd(taskId)).toMatchObject({ state: 'SUCCESS', attempts: 1 });
    });
  });

  describe('when the data version changes', () => {
    it('computes the question again under a new cache key', async () => {
      const input = { filters: { areas: ['region v'] }, dimension: 'CONTRACTOR' as const };
      const before = await h.queue.submit('ANALYTICS_TABLE', input);
      await h.waitForEnd(before);
      await bumpDataVersionAsALoad(h.db.url, h.prefix);
      const after = await h.queue.submit('ANALYTICS_TABLE', input);
      expect(after.status).toBe('QUEUED');
      expect(after.cacheKey).not.toBe(before.cacheKey);
      expect(await h.waitForEnd(after)).toMatchObject({ state: 'SUCCESS' });
    });
  });
});

describe('worker process given a payload that is not a valid input', () => {
  it('fails the task at once, without retrying, saying what is wrong', async () => {
    // A producer of another version could queue this; here the job is edited before any worker runs.
    const h = await createHarness('worker_bad_payload');
    try {
      const ticket = await h.queue.submit('SEARCH', { filters: {}, pageSize: 50 });
      const jobsKey = `${h.prefix}:bq:tasks:jobs`;
      const job = JSON.parse((await h.redis.hget(jobsKey, ticket.taskId))!);
      job.data.input.pageSize = 9999;
      await h.redis.hset(jobsKey, ticket.taskId, JSON.stringify(job));

      await h.startWorker();
      const task = await h.waitForEnd(ticket);
      expect(task).toMatchObject({ state: 'FAILURE', attempts: 1 });
      expect(task?.error).toMatch(/^Invalid task payload: .*pageSize/);
      expect(h.events.of(ticket.taskId).map((e) => e.state)).toEqual(['PENDING', 'STARTED', 'FAILURE']);
      expect(await h.queue.getResult(ticket.cacheKey)).toMatchObject({ status: 'FAILED', message: task?.error });
    } finally {
      await h.teardown();
    }
  });
});

