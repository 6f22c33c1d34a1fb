// queueStats through a real server, with real worker processes, in scenarios whose every
// number is known: tasks queued with no worker, tasks held running by a lock on the
// contracts table, tasks failing (their attempts time out on that lock), tasks succeeding,
// answers served from the cache. The worker's own /metrics must agree. Each test starts
// from an empty prefix and no worker (Stack.reset), and sets up its own scenario.
import os from 'node:os';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gqlData } from '../helpers/graphql.js';
import { SUBMIT, type Ticket } from '../helpers/operations.js';
import { freePort } from '../helpers/outage.js';
import { sampleValue, scrape } from '../helpers/prometheus.js';
import { startStack, type Stack } from '../helpers/stack.js';

const QUEUE_STATS = /* GraphQL */ `
  query {
    queueStats {
      at since queueDepth maxQueueDepth oldestWaitingAgeSeconds
      kinds { kind waiting running retrying succeeded failed attempts tickets { queued cached deduplicated } }
      workers { id pid host concurrency running lastHeartbeat startedAt }
      cache { entries hits misses hitRatio }
    }
  }
`;
type KindStats = { kind: string; waiting: number; running: number; retrying: number; succeeded: number; failed: number; attempts: number; tickets: { queued: number; cached: number; deduplicated: number } };
type Stats = {
  at: string; since: string | null; queueDepth: number; maxQueueDepth: number | null; oldestWaitingAgeSeconds: number | null;
  kinds: KindStats[];
  workers: { id: string; pid: number; host: string; concurrency: number; running: number; lastHeartbeat: string; startedAt: string }[];
  cache: { entries: number; hits: number; misses: number; hitRatio: number | null };
};

const search = (kw: string) => ({ filters: { keywords: [kw] } });
const analytics = (kw: string) => ({ filters: { keywords: [kw] }, topN: 3 });
const table = (kw: string) => ({ filters: { keywords: [kw] }, dimension: 'AREA' });
const pick = (s: Stats, field: keyof Omit<KindStats, 'kind' | 'tickets'>) => Object.fromEntries(s.kinds.map((k) => [k.kind, k[field]]));
const total = (s: Stats, field: keyof Omit<KindStats, 'kind' | 'tickets'>) => s.kinds.reduce((n, k) => n + k[field], 0);

describe('queueStats', () => {
  let stack: Stack;
  let locker: pg.Client;
  const stats = async () => (await gqlData<{ queueStats: Stats }>(stack.url, QUEUE_STATS)).queueStats;
  const submit = async (kind: keyof typeof SUBMIT, input: object) => (await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT[kind], { input })).ticket;
  /** Redis's clock (ms): the clock queueStats.at reads. */
  const redisNow = async () => {
    const [seconds, micros] = await stack.redis.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  };
  /** Six new tasks with no worker: SEARCH 3, ANALYTICS 2, ANALYTICS_TABLE 1 (and one DEDUPLICATED search); returns the first ticket. */
  const queueSix = async () => {
    const first = await submit('SEARCH', search('road'));
    expect(first.status).toBe('QUEUED');
    for (const kw of ['school', 'laptops']) expect((await submit('SEARCH', search(kw))).status).toBe('QUEUED');
    for (const kw of ['road', 'flood']) expect((await submit('ANALYTICS', analytics(kw))).status).toBe('QUEUED');
    expect((await submit('ANALYTICS_TABLE', table('road'))).status).toBe('QUEUED');
    expect((await submit('SEARCH', search('road'))).status).toBe('DEDUPLICATED');
    return first;
  };
  /** Holds an ACCESS EXCLUSIVE lock on contracts until unlock(): every task's query waits. */
  const lockContracts = async () => {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE contracts IN ACCESS EXCLUSIVE MODE');
  };
  const unlock = () => locker.query('ROLLBACK');
  /** A worker process with its own /metrics port. */
  const startWorker = async (env: Record<string, string>) => {
    const port = await freePort();
    const worker = await stack.startWorker({ ...env, WORKER_METRICS_PORT: String(port) });
    return { worker, metricsUrl: `http://127.0.0.1:${port}/metrics` };
  };

  beforeAll(async () => {
    stack = await startStack('ops_queue_stats', { workers: 0 });
    locker = new pg.Client({ connectionString: stack.database.url });
    await locker.connect();
  });
  beforeEach(async () => {
    await stack.reset();
  });
  afterEach(async () => {
    await unlock(); // a no-op (a warning) when no transaction is open
    await stack.reset();
  });
  afterAll(async () => {
    await locker?.end().catch(() => {});
    await stack?.stop();
  });

  describe('when nothing was ever submitted', () => {
    it('has no counters, no workers, nothing waiting, and the time of Redis\'s clock', async () => {
      const before = await redisNow();
      const s = await stats();
      const after = await redisNow();
      expect(s.since).toBeNull();
      expect(s.kinds.map((k) => k.kind)).toEqual(['SEARCH', 'ANALYTICS', 'ANALYTICS_TABLE', 'EXPORT']);
      for (const k of s.kinds) expect(k).toMatchObject({ waiting: 0, running: 0, retrying: 0, succeeded: 0, failed: 0, attempts: 0 });
      expect(s).toMatchObject({ workers: [], queueDepth: 0, maxQueueDepth: 10_000, oldestWaitingAgeSeconds: null });
      expect(s.cache).toEqual({ entries: 0, hits: 0, misses: 0, hitRatio: null });
      expect(Date.parse(s.at)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(s.at)).toBeLessThanOrEqual(after);
    });
  });

  describe('when tasks are queued and no worker runs', () => {
    it('counts them waiting per kind, with the age of the oldest one and when the counters began', async () => {
      const first = await queueSix();
      const s = await stats();
      expect(pick(s, 'waiting')).toEqual({ SEARCH: 3, ANALYTICS: 2, ANALYTICS_TABLE: 1, EXPORT: 0 });
      expect(total(s, 'running') + total(s, 'retrying') + total(s, 'succeeded') + total(s, 'failed') + total(s, 'attempts')).toBe(0);
      expect(s.kinds.map((k) => k.tickets)).toEqual([
        { queued: 3, cached: 0, deduplicated: 1 },
        { queued: 2, cached: 0, deduplicated: 0 },
        { queued: 1, cached: 0, deduplicated: 0 },
        { queued: 0, cached: 0, deduplicated: 0 },
      ]);
      expect(s.queueDepth).toBe(6);
      // The oldest waiting task is the first one submitted; its age is measured at `at`.
      expect(s.oldestWaitingAgeSeconds).toBeCloseTo(Math.max(0, Date.parse(s.at) - Date.parse(first.task.createdAt)) / 1000, 3);
      // The counters began with that first submission.
      expect(Date.parse(s.since!)).toBe(Date.parse(first.task.createdAt));
      expect(s.cache).toEqual({ entries: 0, hits: 0, misses: 7, hitRatio: 0 });
      expect(s.workers).toEqual([]);
    });
  });

  describe('when a worker runs tasks held up by a lock on the contracts table', () => {
    it('lists the worker and counts exactly its concurrency running, the rest waiting', async () => {
      await queueSix();
      await lockContracts();
      const { worker } = await startWorker({ WORKER_CONCURRENCY: '2', TASK_TIMEOUT_SECONDS: '120' });

      // Two tasks are stuck on the lock; the other four wait behind them. The worker's own
      // count comes with its next heartbeat (every 5 s).
      await expect.poll(async () => {
        const s = await stats();
        return { running: total(s, 'running'), waiting: total(s, 'waiting'), queueDepth: s.queueDepth, workerRunning: s.workers.map((w) => w.running) };
      }, { timeout: 20_000 }).toEqual({ running: 2, waiting: 4, queueDepth: 4, workerRunning: [2] });
      const s = await stats();
      expect(pick(s, 'attempts')).toEqual({ SEARCH: 2, ANALYTICS: 0, ANALYTICS_TABLE: 0, EXPORT: 0 });
      expect(s.workers).toHaveLength(1);
      expect(s.workers[0]).toMatchObject({ pid: worker.pid, host: os.hostname(), concurrency: 2, running: 2 });
      expect(s.workers[0]!.id).toMatch(new RegExp(`^${os.hostname()}:${worker.pid}:`));
      expect(Date.parse(s.workers[0]!.lastHeartbeat)).toBeGreaterThan(Date.parse(s.workers[0]!.startedAt));
    });
  });

  describe('when every attempt times out on that lock', () => {
    it('counts six failures and six attempts, nothing left, and the worker\'s /metrics agree', async () => {
      await queueSix();
      await lockContracts();
      const { metricsUrl } = await startWorker({ WORKER_CONCURRENCY: '2', TASK_TIMEOUT_SECONDS: '2' });

      // TaskTimeoutError is not retried: one attempt, one failure per task.
      await expect.poll(async () => total(await stats(), 'failed'), { timeout: 45_000 }).toBe(6);
      await unlock();
      const s = await stats();
      expect(pick(s, 'failed')).toEqual({ SEARCH: 3, ANALYTICS: 2, ANALYTICS_TABLE: 1, EXPORT: 0 });
      expect(pick(s, 'attempts')).toEqual({ SEARCH: 3, ANALYTICS: 2, ANALYTICS_TABLE: 1, EXPORT: 0 });
      expect(total(s, 'waiting') + total(s, 'running') + total(s, 'retrying') + total(s, 'succeeded')).toBe(0);
      expect(s).toMatchObject({ queueDepth: 0, oldestWaitingAgeSeconds: null });
      expect(s.cache).toEqual({ entries: 0, hits: 0, misses: 7, hitRatio: 0 });

      const m = await scrape(metricsUrl);
      const count = (kind: string, state: string) => sampleValue(m, 'kontrata_task_duration_seconds_count', { kind, state });
      expect([count('SEARCH', 'FAILURE'), count('ANALYTICS', 'FAILURE'), count('ANALYTICS_TABLE', 'FAILURE')]).toEqual([3, 2, 1]);
      // The failures waited on the lock for at least their 2 s timeout.
      expect(sampleValue(m, 'kontrata_task_duration_seconds_sum', { kind: 'SEARCH', state: 'FAILURE' })).toBeGreaterThanOrEqual(3 * 2);
      const attempts = (kind: string, outcome: string) => sampleValue(m, 'kontrata_task_attempts_total', { kind, outcome });
      expect([attempts('SEARCH', 'failure'), attempts('SEARCH', 'success'), attempts('SEARCH', 'retry')]).toEqual([3, 0, 0]);
      expect(sampleValue(m, 'kontrata_tasks_running', { kind: 'SEARCH' })).toBe(0);
    });
  });

  describe('when tasks succeed and are asked again', () => {
    it('counts successes, cache entries, hits and the hit ratio exactly, and the worker\'s /metrics agree', async () => {
      const { metricsUrl } = await startWorker({ WORKER_CONCURRENCY: '2' });
      for (const kw of ['bridge', 'medical']) expect((await submit('SEARCH', search(kw))).status).toBe('QUEUED');
      expect((await submit('ANALYTICS', analytics('school'))).status).toBe('QUEUED');
      await expect.poll(async () => total(await stats(), 'succeeded'), { timeout: 30_000 }).toBe(3);
      for (const kw of ['bridge', 'medical']) expect((await submit('SEARCH', search(kw))).status).toBe('CACHED');

      const s = await stats();
      expect(pick(s, 'succeeded')).toEqual({ SEARCH: 2, ANALYTICS: 1, ANALYTICS_TABLE: 0, EXPORT: 0 });
      expect(pick(s, 'failed')).toEqual({ SEARCH: 0, ANALYTICS: 0, ANALYTICS_TABLE: 0, EXPORT: 0 });
      expect(pick(s, 'attempts')).toEqual({ SEARCH: 2, ANALYTICS: 1, ANALYTICS_TABLE: 0, EXPORT: 0 });
      expect(s.kinds.map((k) => k.tickets)).toEqual([
        { queued: 2, cached: 2, deduplicated: 0 },
        { queued: 1, cached: 0, deduplicated: 0 },
        { queued: 0, cached: 0, deduplicated: 0 },
        { queued: 0, cached: 0, deduplicated: 0 },
      ]);
      // 3 results in the cache; hits = 2 CACHED; misses = 3 QUEUED.
      expect(s.cache).toEqual({ entries: 3, hits: 2, misses: 3, hitRatio: 2 / 5 });
      expect(total(s, 'waiting') + total(s, 'running') + total(s, 'retrying')).toBe(0);
      expect(s).toMatchObject({ queueDepth: 0, oldestWaitingAgeSeconds: null });

      const m = await scrape(metricsUrl);
      const count = (kind: string, state: string) => sampleValue(m, 'kontrata_task_duration_seconds_count', { kind, state });
      expect([count('SEARCH', 'SUCCESS'), count('ANALYTICS', 'SUCCESS'), count('ANALYTICS_TABLE', 'SUCCESS')]).toEqual([2, 1, 0]);
      const attempts = (kind: string, outcome: string) => sampleValue(m, 'kontrata_task_attempts_total', { kind, outcome });
      expect([attempts('SEARCH', 'failure'), attempts('SEARCH', 'success'), attempts('SEARCH', 'retry')]).toEqual([0, 2, 0]);
      expect(m.get('kontrata_queue_tasks')?.type).toBe('gauge');
      expect(sampleValue(m, 'kontrata_queue_tasks', { kind: 'SEARCH', state: 'waiting' })).toBe(0);
    });
  });
});
