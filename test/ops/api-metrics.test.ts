// The API's Prometheus /metrics through a real server: valid exposition text, HTTP and
// GraphQL request metrics, and Kontrata's counters and gauges moving by exactly what a
// scripted scenario causes.
import { freePort } from '../helpers/outage.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, gql, gqlData, TASK_PROGRESS, wsClient } from '../helpers/graphql.js';
import { SUBMIT, type Ticket } from '../helpers/operations.js';
import { sampleValue, scrape, type MetricFamily } from '../helpers/prometheus.js';
import { startStack, type Stack } from '../helpers/stack.js';

const search = (keyword: string) => ({ filters: { keywords: [keyword] } });
const submissions = (m: Map<string, MetricFamily>, kind: string, status: string) =>
  sampleValue(m, 'kontrata_task_submissions_total', { kind, status });

describe('API /metrics', () => {
  let stack: Stack;
  let metricsUrl: string;
  beforeAll(async () => {
    // No worker at first: the test decides when tasks run. Queue depth 50 and a rate limit of
    // 100 do not interfere with the scenario; they are there to be counted when hit.
    stack = await startStack('ops_metrics', { workers: 0, env: { SUBMIT_RATE_LIMIT: '100', METRICS_PORT: String(await freePort()) } });
    metricsUrl = stack.metricsUrl!;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('serves valid Prometheus text with HTTP, GraphQL and process metrics', async () => {
    await gqlData(stack.url, '{ queueStats { queueDepth } }');
    const m = await scrape(metricsUrl);
    expect(m.get('graphql_yoga_http_duration')?.type).toBe('histogram');
    expect(m.get('graphql_envelop_request')?.type).toBe('counter');
    expect(m.get('graphql_envelop_request_duration')?.type).toBe('histogram');
    expect(m.get('kontrata_task_submissions_total')?.type).toBe('counter');
    expect(m.get('kontrata_active_subscriptions')?.type).toBe('gauge');
    expect(m.get('kontrata_queue_tasks')?.type).toBe('gauge');
    expect(m.get('process_cpu_user_seconds_total')?.type).toBe('counter');
    // Without labels a client picks freely (a series per query string or operation name would explode).
    for (const s of m.get('graphql_yoga_http_duration')!.samples) {
      expect(s.labels).not.toHaveProperty('url');
      expect(s.labels).not.toHaveProperty('operationName');
    }
  });

  it('is served on METRICS_PORT only, not on the public port', async () => {
    expect(new URL(metricsUrl).port).not.toBe(new URL(stack.url).port);
    expect((await fetch(stack.url.replace(/\/graphql$/, '/metrics'))).status).toBe(404);
  });

  it('counts HTTP requests and GraphQL operations exactly', async () => {
    const name = `ops_probe`;
    const before = await scrape(metricsUrl);
    for (let i = 0; i < 3; i++) await gqlData(stack.url, `query ${name} { queueStats { queueDepth } }`);
    const after = await scrape(metricsUrl);
    const http = (m: Map<string, MetricFamily>) => sampleValue(m, 'graphql_yoga_http_duration_count', { operationType: 'query', statusCode: '200' });
    const ops = (m: Map<string, MetricFamily>) => sampleValue(m, 'graphql_envelop_request', { operationType: 'query' });
    expect(http(after) - http(before)).toBe(3);
    expect(ops(after) - ops(before)).toBe(3);
  });

  describe('when tasks are submitted, followed and answered', () => {
    it('moves submissions, queue depth and active subscriptions by exactly what happened', async () => {
      const before = await scrape(metricsUrl);
      const tickets: Ticket[] = [];
      for (const kw of ['road', 'school', 'laptops']) tickets.push((await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT.SEARCH, { input: search(kw) })).ticket);
      expect(tickets.map((t) => t.status)).toEqual(['QUEUED', 'QUEUED', 'QUEUED']);
      const dup = (await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT.SEARCH, { input: search('road') })).ticket;
      expect(dup.status).toBe('DEDUPLICATED');
      const bad = await gql(stack.url, SUBMIT.SEARCH, { input: { filters: { minAmount: -1 } } });
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

      const queued = await scrape(metricsUrl);
      /** Submissions of `kind` per status since `before`, as `now` counts them. */
      const since = (now: Map<string, MetricFamily>, kind: string, statuses: string[]) =>
        statuses.map((status) => submissions(now, kind, status) - submissions(before, kind, status));
      expect(since(queued, 'SEARCH', ['QUEUED', 'DEDUPLICATED', 'BAD_USER_INPUT', 'CACHED'])).toEqual([3, 1, 1, 0]);
      // Read from Redis at scrape time: the three tasks wait, nothing runs.
      expect(sampleValue(queued, 'kontrata_queue_tasks', { kind: 'SEARCH', state: 'waiting' })).toBe(3);
      expect(sampleValue(queued, 'kontrata_queue_tasks', { kind: 'SEARCH', state: 'running' })).toBe(0);
      expect(sampleValue(queued, 'kontrata_queue_tasks', { kind: 'ANALYTICS', state: 'waiting' })).toBe(0);

      // Four subscriptions open (one per task, plus a second client on the first task).
      const active = async () => sampleValue(await scrape(metricsUrl), 'kontrata_active_subscriptions');
      const base = await active();
      const client = wsClient(stack.url);
      const other = wsClient(stack.url);
      const firstEvents: Promise<void>[] = [];
      const follow = (c: typeof client, taskId: string) => {
        let seen!: () => void;
        firstEvents.push(new Promise<void>((r) => (seen = r)));
        return collect(c, TASK_PROGRESS, { taskId }, { onEvent: () => seen() });
      };
      const done = tickets.map((t) => follow(client, t.taskId));
      const abandoned = follow(other, tickets[0]!.taskId).catch(() => null);
      await Promise.all(firstEvents);
      expect(await active()).toBe(base + 4);
      // An unknown task is refused before any stream opens: not counted.
      const unknown = await collect(client, TASK_PROGRESS, { taskId: 'no-such-task' });
      expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(await active()).toBe(base + 4);

      // A client that goes away ends its subscription.
      await other.dispose();
      await abandoned;
      await expect.poll(active, { timeout: 10_000 }).toBe(base + 3); // the closed client's subscription counted down

      // A worker runs the tasks; the subscriptions complete after SUCCESS.
      await stack.startWorker();
      const results = await Promise.all(done);
      expect(results.map((r) => r.completed)).toEqual([true, true, true]);
      await expect.poll(active, { timeout: 10_000 }).toBe(base); // completed subscriptions counted down
      await client.dispose();

      // Asking again is answered from the cache.
      for (const kw of ['road', 'laptops']) {
        expect((await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT.SEARCH, { input: search(kw) })).ticket.status).toBe('CACHED');
      }
      const after = await scrape(metricsUrl);
      expect(since(after, 'SEARCH', ['QUEUED', 'CACHED', 'DEDUPLICATED'])).toEqual([3, 2, 1]);
      expect(since(after, 'ANALYTICS', ['QUEUED'])).toEqual([0]);
      expect(sampleValue(after, 'kontrata_queue_tasks', { kind: 'SEARCH', state: 'waiting' })).toBe(0);
      expect(sampleValue(after, 'kontrata_queue_tasks', { kind: 'SEARCH', state: 'running' })).toBe(0);
    });
  });
});
