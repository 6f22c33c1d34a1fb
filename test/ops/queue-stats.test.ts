// queueStats through a real server, with a real worker process, in a scripted scenario
// whose every number is known: tasks queued with no worker, tasks held running by a lock
// on the contracts table, tasks failing (their attempts time out on that lock), tasks
// succeeding, answers served from the cache. The worker's own /metrics must agree.
import os from 'node:os';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlData } from '../helpers/graphql.js';
import { SUBMIT, type Ticket } from '../helpers/operations.js';
import { eventually, freePort } from '../helpers/outage.js';
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
  let workerMetricsUrl: string;
  const stats = async () => (await gqlData<{ queueStats: Stats }>(stack.url, QUEUE_STATS)).queueStats;
  const submit = async (kind: keyof typeof SUBMIT, input: object) => (await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT[kind], { input })).ticket;

  beforeAll(async () => {
    stack = await startStack('ops_queue_stats', { workers: 0 });
    locker = new pg.Client({ connectionString: stack.database.url });
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.end().catch(() => {});
    await stack?.stop();
  });

  it('starts empty: no counters yet, no workers, nothing waiting', async () => {
    const s = await stats();
    expect(s.since).toBeNull();
    expect(s.kinds.map((k) => k.kind)).toEqual(['SEARCH', 'ANALYTICS', 'ANALYTICS_TABLE']);
    for (const k of s.kinds) expect(k).toMatchObject({ waiting: 0, running: 0, retrying: 0, succeeded: 0, failed: 0, attempts: 0 });
    expect(s).toMatchObject({ workers: [], queueDepth: 0, maxQueueDepth: 10_000, oldestWaitingAgeSeconds: null });
    expect(s.cache).toEqual({ entries: 0, hits: 0, misses: 0, hitRatio: null });
    expect(Math.abs(Date.parse(s.at) - Date.now())).toBeLessThan(60_000);
  });

  describe('when tasks are queued and no worker runs', () => {
    it('counts them waiting per kind, with the oldest one\'s age', async () => {
      const before = Date.now();
      for (const kw of ['road', 'school', 'laptops']) expect((await submit('SEARCH', search(kw))).status).toBe('QUEUED');
      for (const kw of ['road', 'flood']) expect((await submit('ANALYTICS', analytics(kw))).status).toBe('QUEUED');
      expect((await submit('ANALYTICS_TABLE', table('road'))).status).toBe('QUEUED');
      expect((await submit('SEARCH', search('road'))).status).toBe('DEDUPLICATED');
      await new Promise((r) => setTimeout(r, 300));

      const s = await stats();
      expect(pick(s, 'waiting')).toEqual({ SEARCH: 3, ANALYTICS: 2, ANALYTICS_TABLE: 1 });
      expect(total(s, 'running') + total(s, 'retrying') + total(s, 'succeeded') + total(s, 'failed') + total(s, 'attempts')).toBe(0);
      expect(s.kinds.map((k) => k.tickets)).toEqual([
        { queued: 3, cached: 0, deduplicated: 1 },
        { queued: 2, cached: 0, deduplicated: 0 },
        { queued: 1, cached: 0, deduplicated: 0 },
      ]);
      expect(s.queueDepth).toBe(6);
      // The oldest is the first search, submitted at least 300 ms ago.
      expect(s.oldestWaitingAgeSeconds).toBeGreaterThanOrEqual(0.3);
      expect(s.oldestWaitingAgeSeconds).toBeLessThan((Date.now() - before) / 1000 + 1);
      expect(Date.parse(s.since!)).toBeGreaterThanOrEqual(before - 1000);
      expect(s.cache).toEqual({ entries: 0, hits: 0, misses: 7, hitRatio: 0 });
    });
  });

  describe('when a worker starts while the contracts table is locked', () => {
    it('lists the worker, counts exactly its concurrency running, then every attempt fails on its timeout', async () => {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE contracts IN ACCESS EXCLUSIVE MODE');
      const port = await freePort();
      workerMetricsUrl = `http://127.0.0.1:${port}/metrics`;
      const worker = await stack.startWorker({ WORKER_CONCURRENCY: '2', TASK_TIMEOUT_SECONDS: '2', WORKER_METRICS_PORT: String(port) });

      // Two tasks are stuck on the lock; the other four wait behind them.
      await eventually(async () => {
        const s = await stats();
        return total(s, 'running') === 2 && total(s, 'waiting') === 4;
      }, 20_000, 'two running, four waiting');
      const s = await stats();
      expect(s.queueDepth).toBe(4);
      expect(s.workers).toHaveLength(1);
      expect(s.workers[0]).toMatchObject({ pid: worker.pid, host: os.hostname(), concurrency: 2 });
      expect(s.workers[0]!.id).toMatch(new RegExp(`^${os.hostname()}:${worker.pid}:`));
      expect(s.workers[0]!.running).toBeGreaterThanOrEqual(0);
      expect(s.workers[0]!.running).toBeLessThanOrEqual(2);
      expect(Date.parse(s.workers[0]!.lastHeartbeat)).toBeGreaterThanOrEqual(Date.parse(s.workers[0]!.startedAt));

      // Each attempt times out (TaskTimeoutError is not retried): six failures, six attempts.
      await eventually(async () => total(await stats(), 'failed') === 6, 45_000, 'six failures');
      await locker.query('ROLLBACK');
      const after = await stats();
      expect(pick(after, 'failed')).toEqual({ SEARCH: 3, ANALYTICS: 2, ANALYTICS_TABLE: 1 });
      expect(pick(after, 'attempts')).toEqual({ SEARCH: 3, ANALYTICS: 2, ANALYTICS_TABLE: 1 });
      expect(total(after, 'waiting') + total(after, 'running') + total(after, 'retrying') + total(after, 'succeeded')).toBe(0);
      expect(after).toMatchObject({ queueDepth: 0, oldestWaitingAgeSeconds: null });
      expect(after.cache.entries).toBe(0);
    });
  });

  describe('when tasks succeed and are asked again', () => {
    it('counts successes, cache entries, hits and the hit ratio exactly', async () => {
      for (const kw of ['bridge', 'medical']) expect((await submit('SEARCH', search(kw))).status).toBe('QUEUED');
      expect((await submit('ANALYTICS', analytics('school'))).status).toBe('QUEUED');
      await eventually(async () => total(await stats(), 'succeeded') === 3, 30_000, 'three successes');
      for (const kw of ['bridge', 'medical']) expect((await submit('SEARCH', search(kw))).status).toBe('CACHED');

      const s = await stats();
      expect(pick(s, 'succeeded')).toEqual({ SEARCH: 2, ANALYTICS: 1, ANALYTICS_TABLE: 0 });
      expect(pick(s, 'failed')).toEqual({ SEARCH: 3, ANALYTICS: 2, ANALYTICS_TABLE: 1 });
      expect(pick(s, 'attempts')).toEqual({ SEARCH: 5, ANALYTICS: 3, ANALYTICS_TABLE: 1 });
      expect(s.kinds[0]!.tickets).toEqual({ queued: 5, cached: 2, deduplicated: 1 });
      // 3 results in the cache; hits = 2 CACHED; misses = 8 QUEUED + 1 DEDUPLICATED.
      expect(s.cache).toEqual({ entries: 3, hits: 2, misses: 10, hitRatio: 2 / 12 });
      expect(total(s, 'waiting') + total(s, 'running')).toBe(0);
    });

    it('agrees with the worker\'s /metrics: one duration per task it ended, by kind and final state', async () => {
      const m = await scrape(workerMetricsUrl);
      const count = (kind: string, state: string) => sampleValue(m, 'kontrata_task_duration_seconds_count', { kind, state });
      expect([count('SEARCH', 'FAILURE'), count('ANALYTICS', 'FAILURE'), count('ANALYTICS_TABLE', 'FAILURE')]).toEqual([3, 2, 1]);
      expect([count('SEARCH', 'SUCCESS'), count('ANALYTICS', 'SUCCESS'), count('ANALYTICS_TABLE', 'SUCCESS')]).toEqual([2, 1, 0]);
      // The failures waited on the lock for at least their 2 s timeout.
      expect(sampleValue(m, 'kontrata_task_duration_seconds_sum', { kind: 'SEARCH', state: 'FAILURE' })).toBeGreaterThanOrEqual(3 * 2);
      const attempts = (kind: string, outcome: string) => sampleValue(m, 'kontrata_task_attempts_total', { kind, outcome });
      expect([attempts('SEARCH', 'failure'), attempts('SEARCH', 'success'), attempts('SEARCH', 'retry')]).toEqual([3, 2, 0]);
      expect(sampleValue(m, 'kontrata_tasks_running', { kind: 'SEARCH' })).toBe(0);
      expect(m.get('kontrata_queue_tasks')?.type).toBe('gauge');
      expect(sampleValue(m, 'kontrata_queue_tasks', { kind: 'SEARCH', state: 'waiting' })).toBe(0);
    });
  });
});
