// MAX_QUEUE_DEPTH through a real server with no worker (nothing leaves the queue): exactly
// MAX_QUEUE_DEPTH tasks are accepted, the next is QUEUE_FULL and queues nothing, and
// QUEUE_FULL refusals do not count against the submitter's rate limit.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/outage.js';
import { createTaskQueue } from '../../src/tasks/index.js';
import { testQueuePrefix, TEST_REDIS_URL } from '../helpers/db.js';
import { deletePrefix } from '../helpers/redis.js';
import { gql, gqlData } from '../helpers/graphql.js';
import { SUBMIT, type Ticket } from '../helpers/operations.js';
import { sampleValue, scrape } from '../helpers/prometheus.js';
import { startStack, type Stack } from '../helpers/stack.js';

const search = (kw: string) => ({ filters: { keywords: [kw] } });
const as = (client: string) => ({ 'x-forwarded-for': client });

describe('MAX_QUEUE_DEPTH', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('ops_queue_full', {
      workers: 0,
      env: { MAX_QUEUE_DEPTH: '3', SUBMIT_RATE_LIMIT: '3', TRUST_PROXY: 'true', METRICS_PORT: String(await freePort()) },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const submit = (kw: string, client: string) => gql<{ ticket: Ticket }>(stack.url, SUBMIT.SEARCH, { input: search(kw) }, as(client));
  /** Fills the queue to MAX_QUEUE_DEPTH (3): two tasks of 198.51.100.6, one of 198.51.100.7. */
  const fill = async () => {
    expect((await submit('road', '198.51.100.6')).data?.ticket.status).toBe('QUEUED');
    expect((await submit('school', '198.51.100.6')).data?.ticket.status).toBe('QUEUED');
    expect((await submit('laptops', '198.51.100.7')).data?.ticket.status).toBe('QUEUED');
    expect(await stack.queueFootprint()).toEqual({ tasks: 3, jobs: 3, waiting: 3 });
  };
  /** Three new questions of 198.51.100.6, each refused with QUEUE_FULL. */
  const refuseThree = async () => {
    for (let i = 0; i < 3; i++) {
      const refused = await submit(`bridge ${i}`, '198.51.100.6');
      expect(refused.data).toBeNull();
      expect(refused.errors).toHaveLength(1);
      expect(refused.errors![0]!.extensions).toMatchObject({ code: 'QUEUE_FULL', depth: 3 });
      expect(refused.errors![0]!.message).toBe('The task queue is full (3 tasks waiting); try again later.');
    }
  };

  // Each test starts from an empty queue and fresh rate-limit windows.
  beforeEach(async () => {
    await stack.reset();
  });

  it('accepts exactly MAX_QUEUE_DEPTH tasks, then answers QUEUE_FULL and queues nothing', async () => {
    const metricsUrl = stack.metricsUrl!;
    const before = await scrape(metricsUrl);
    await fill();
    await refuseThree();
    expect(await stack.queueFootprint()).toEqual({ tasks: 3, jobs: 3, waiting: 3 });
    const { queueStats } = await gqlData(stack.url, '{ queueStats { queueDepth maxQueueDepth kinds { waiting tickets { queued } } } }');
    expect(queueStats).toMatchObject({ queueDepth: 3, maxQueueDepth: 3 });
    expect(queueStats.kinds[0]).toEqual({ waiting: 3, tickets: { queued: 3 } });
    const after = await scrape(metricsUrl);
    const delta = (status: string) =>
      sampleValue(after, 'kontrata_task_submissions_total', { kind: 'SEARCH', status }) -
      sampleValue(before, 'kontrata_task_submissions_total', { kind: 'SEARCH', status });
    expect([delta('QUEUED'), delta('QUEUE_FULL')]).toEqual([3, 3]);
  });

  it('still deduplicates onto a waiting task when full (nothing new is queued)', async () => {
    await fill();
    const dup = await submit('road', '198.51.100.6');
    expect(dup.data?.ticket.status).toBe('DEDUPLICATED');
    expect(await stack.queueFootprint()).toEqual({ tasks: 3, jobs: 3, waiting: 3 });
  });

  it('does not count refusals against the client: its third counted submission is the deduplicated one', async () => {
    await fill();
    await refuseThree();
    // 198.51.100.6: 2 QUEUED + 3 QUEUE_FULL. Had the refusals counted, this deduplicated
    // submission would be RATE_LIMITED; it is the third counted one, reaching the limit (3).
    expect((await submit('road', '198.51.100.6')).data?.ticket.status).toBe('DEDUPLICATED');
    const limited = await submit('harbor', '198.51.100.6');
    expect(limited.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // 198.51.100.7 (1 counted) is under its limit: it gets the queue's answer.
    expect((await submit('harbor', '198.51.100.7')).errors?.[0]?.extensions?.code).toBe('QUEUE_FULL');
    expect(await stack.queueFootprint()).toEqual({ tasks: 3, jobs: 3, waiting: 3 });
  });
});

describe('MAX_QUEUE_DEPTH under concurrent submissions', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('ops_queue_full_burst', { workers: 0 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('never queues more than the limit, and fills up to exactly the limit', async () => {
    const prefix = testQueuePrefix('ops_queue_burst');
    const queue = createTaskQueue({ redisUrl: TEST_REDIS_URL, prefix, resultTtlSeconds: 60, maxRetries: 0, maxQueueDepth: 5, db: stack.database.prisma });
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, i) => queue.submit('SEARCH', search(`burst ${i}`)).then((t) => t.status, (e: { code?: string }) => e.code)),
      );
      const queued = outcomes.filter((o) => o === 'QUEUED').length;
      expect(outcomes.filter((o) => o !== 'QUEUED' && o !== 'QUEUE_FULL')).toEqual([]);
      expect(queued).toBeGreaterThan(0);
      expect(queued).toBeLessThanOrEqual(5);
      expect(await stack.redis.llen(`${prefix}:bq:tasks:waiting`)).toBe(queued);
      // Once every save is done, the depth is exact: the rest up to 5 are accepted, then refused.
      for (let i = queued; i < 5; i++) expect((await queue.submit('SEARCH', search(`fill ${i}`))).status).toBe('QUEUED');
      await expect(queue.submit('SEARCH', search('one too many'))).rejects.toMatchObject({ code: 'QUEUE_FULL' });
      expect(await stack.redis.llen(`${prefix}:bq:tasks:waiting`)).toBe(5);
      expect(await stack.redis.zcard(`${prefix}:saving`)).toBe(0);
    } finally {
      await queue.close();
      await deletePrefix(stack.redis, prefix);
    }
  });
});
