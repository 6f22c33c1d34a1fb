// SUBMIT_RATE_LIMIT through a real server (TRUST_PROXY, so each test client is an
// X-Forwarded-For address): exactly the limit passes, the next is RATE_LIMITED with the
// seconds until retry and queues nothing; CACHED answers neither count nor are refused;
// other clients are unaffected.
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clientIdOf } from '../../src/server/client-id.js';
import { gql, gqlData } from '../helpers/graphql.js';
import { SUBMIT, type Ticket } from '../helpers/operations.js';
import { sampleValue, scrape } from '../helpers/prometheus.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { taskKeys } from '../../src/tasks/keys.js';

const search = (kw: string) => ({ filters: { keywords: [kw] } });
const as = (client: string) => ({ 'x-forwarded-for': `${client}, 10.0.0.1` });

describe('SUBMIT_RATE_LIMIT', () => {
  let stack: Stack;
  const submit = (input: object, client: string) => gql<{ ticket: Ticket }>(stack.url, SUBMIT.SEARCH, { input }, as(client));
  const status = async (input: object, client: string) => {
    const res = await submit(input, client);
    return res.data?.ticket.status ?? res.errors?.[0]?.extensions?.code;
  };

  beforeAll(async () => {
    stack = await startStack('ops_rate_limit', { workers: 1, env: { SUBMIT_RATE_LIMIT: '3', TRUST_PROXY: 'true' } });
    // One answered question in the cache, asked by another client; then no worker, so the
    // queue only changes when a submission queues something.
    const ticket = (await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT.SEARCH, { input: search('cached') }, as('203.0.113.50'))).ticket;
    // (expect.poll is for tests; its counterpart in a hook is vi.waitFor)
    await vi.waitFor(async () => {
      const { taskStatus } = await gqlData(stack.url, 'query($id: ID!) { taskStatus(taskId: $id) { state } }', { id: ticket.taskId });
      expect(taskStatus.state).toBe('SUCCESS');
    }, { timeout: 30_000, interval: 200 });
    await stack.stopWorkers();
  });
  afterAll(async () => {
    await stack?.stop();
  });
  /** Redis's clock (ms), which the rate-limit window runs on. */
  const redisNow = async () => {
    const [seconds, micros] = await stack.redis.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  };
  /** Makes `client` reach its limit (3) with three new questions of its own. */
  const exhaust = async (client: string, words: string[]) => {
    for (const w of words) expect(await status(search(w), client)).toBe('QUEUED');
    expect(await status(search('another question'), client)).toBe('RATE_LIMITED');
  };

  // Each test uses its own clients and questions; the cached answer above is shared and only read.
  it('lets exactly the limit through (QUEUED and DEDUPLICATED count, CACHED does not), then RATE_LIMITED with the seconds to wait', async () => {
    const x = '198.51.100.7';
    const metricsUrl = stack.url.replace(/\/graphql$/, '/metrics');
    const before = await scrape(metricsUrl);
    expect(await status(search('cached'), x)).toBe('CACHED');
    expect(await status(search('road'), x)).toBe('QUEUED');
    expect(await status(search('cached'), x)).toBe('CACHED');
    expect(await status(search('road'), x)).toBe('DEDUPLICATED');
    expect(await status(search('school'), x)).toBe('QUEUED');
    const footprint = await stack.queueFootprint();

    const [oldest] = await stack.redis.zrange(taskKeys(stack.prefix).rateLimit(x), 0, 0, 'WITHSCORES').then((r) => r.slice(1).map(Number));
    const t0 = await redisNow();
    const refused = await submit(search('laptops'), x);
    const t1 = await redisNow();
    expect(refused.data).toBeNull();
    const err = refused.errors![0]!;
    expect(err.extensions?.code).toBe('RATE_LIMITED');
    const seconds = err.extensions?.retryAfterSeconds as number;
    // Until the oldest counted submission (the first 'road') leaves the hour's window, on Redis's clock.
    expect(seconds).toBeGreaterThanOrEqual(Math.ceil((oldest! + 3_600_000 - t1) / 1000));
    expect(seconds).toBeLessThanOrEqual(Math.ceil((oldest! + 3_600_000 - t0) / 1000));
    expect(err.message).toBe(`Too many submissions: at most 3 new tasks per 3600 s per client (cached answers do not count). Try again in ${seconds} s.`);
    // A deduplicated submission is refused too (it counts), and nothing was queued.
    expect(await status(search('road'), x)).toBe('RATE_LIMITED');
    expect(await stack.queueFootprint()).toEqual(footprint);

    const after = await scrape(metricsUrl);
    const delta = (s: string) =>
      sampleValue(after, 'kontrata_task_submissions_total', { kind: 'SEARCH', status: s }) -
      sampleValue(before, 'kontrata_task_submissions_total', { kind: 'SEARCH', status: s });
    expect([delta('QUEUED'), delta('DEDUPLICATED'), delta('CACHED'), delta('RATE_LIMITED')]).toEqual([2, 1, 2, 2]);
  });

  it('still answers the limited client from the cache, and validates its input before limiting', async () => {
    const y = '198.51.100.9';
    await exhaust(y, ['harbor', 'clinic', 'seawall']);
    expect(await status(search('cached'), y)).toBe('CACHED');
    expect(await status({ filters: { minAmount: -5 } }, y)).toBe('BAD_USER_INPUT');
  });

  it('does not limit other clients', async () => {
    await exhaust('198.51.100.10', ['pier', 'dike', 'levee']);
    expect(await status(search('culvert'), '198.51.100.8')).toBe('QUEUED');
    // Without X-Forwarded-For the client is the socket address, another client again.
    const direct = await gql<{ ticket: Ticket }>(stack.url, SUBMIT.SEARCH, { input: search('bridge') });
    expect(direct.data?.ticket.status).toBe('QUEUED');
  });
});

describe('clientIdOf', () => {
  const req = (remoteAddress: string, xff?: string | string[]) =>
    ({ socket: { remoteAddress }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;
  it.each([
    [req('10.0.0.1', '198.51.100.7, 10.0.0.2'), false, '10.0.0.1'],
    [req('10.0.0.1', '198.51.100.7, 10.0.0.2'), true, '198.51.100.7'],
    [req('10.0.0.1', ['2001:db8::1', '198.51.100.9']), true, '2001:db8::1'],
    [req('10.0.0.1', '  '), true, '10.0.0.1'],
    [req('::ffff:127.0.0.1'), false, '127.0.0.1'],
    [req('::1'), true, '::1'],
  ])('%#: trustProxy %s -> %s', (r, trust, expected) => {
    expect(clientIdOf(r, trust)).toBe(expected);
  });
});
