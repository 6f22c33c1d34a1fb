// SUBMIT_RATE_LIMIT through a real server (TRUST_PROXY=2, so each test client is an
// X-Forwarded-For address): exactly the limit passes, the next is RATE_LIMITED with the
// seconds until retry and queues nothing; CACHED answers neither count nor are refused;
// other clients are unaffected.
import type { IncomingMessage } from 'node:http';
import { freePort } from '../helpers/outage.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clientIdOf } from '../../src/server/client-id.js';
import { gql, gqlData } from '../helpers/graphql.js';
import { SUBMIT, type Ticket } from '../helpers/operations.js';
import { sampleValue, scrape } from '../helpers/prometheus.js';
import { startStack, type Stack } from '../helpers/stack.js';

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
    stack = await startStack('ops_rate_limit', { workers: 1, env: { SUBMIT_RATE_LIMIT: '3', TRUST_PROXY: '2', METRICS_PORT: String(await freePort()) } });
    // One answered question in the cache, asked by another client; then no worker, so the
    // queue only changes when a submission queues something.
    const ticket = (await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT.SEARCH, { input: search('cached') }, as('203.0.113.50'))).ticket;
    await vi.waitFor(async () => {
      const { taskStatus } = await gqlData<{ taskStatus: { state: string } }>(stack.url, 'query($id: ID!) { taskStatus(taskId: $id) { state } }', { id: ticket.taskId });
      if (taskStatus.state !== 'SUCCESS') throw new Error('cached question not answered yet');
    }, { timeout: 30_000, interval: 100 });
    await stack.stopWorkers();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('lets exactly the limit through (QUEUED and DEDUPLICATED count, CACHED does not), then RATE_LIMITED with the seconds to wait', async () => {
    const x = '198.51.100.7';
    const metricsUrl = stack.metricsUrl!;
    const before = await scrape(metricsUrl);
    expect(await status(search('cached'), x)).toBe('CACHED');
    expect(await status(search('road'), x)).toBe('QUEUED');
    expect(await status(search('cached'), x)).toBe('CACHED');
    expect(await status(search('road'), x)).toBe('DEDUPLICATED');
    expect(await status(search('school'), x)).toBe('QUEUED');
    const footprint = await stack.queueFootprint();

    const refused = await submit(search('laptops'), x);
    expect(refused.data).toBeNull();
    const err = refused.errors![0]!;
    expect(err.extensions?.code).toBe('RATE_LIMITED');
    const seconds = err.extensions?.retryAfterSeconds as number;
    // The window is an hour and its oldest counted submission is a few seconds old.
    expect(seconds).toBeGreaterThan(3500);
    expect(seconds).toBeLessThanOrEqual(3600);
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
    const x = '198.51.100.7';
    expect(await status(search('cached'), x)).toBe('CACHED');
    expect(await status({ filters: { minAmount: -5 } }, x)).toBe('BAD_USER_INPUT');
  });

  it('does not limit other clients', async () => {
    expect(await status(search('laptops'), '198.51.100.8')).toBe('QUEUED');
    // Without X-Forwarded-For the client is the socket address, another client again.
    const direct = await gql<{ ticket: Ticket }>(stack.url, SUBMIT.SEARCH, { input: search('bridge') });
    expect(direct.data?.ticket.status).toBe('QUEUED');
  });
});

describe('clientIdOf', () => {
  // proxy-addr reads req.connection (the socket's old name); node's IncomingMessage has both.
  const req = (remoteAddress: string, xff?: string | string[]) => {
    const socket = { remoteAddress };
    return { socket, connection: socket, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } } as unknown as IncomingMessage;
  };
  it.each([
    // Directly exposed: X-Forwarded-For is the client's own text and is ignored.
    [req('10.0.0.1', '198.51.100.7, 10.0.0.2'), 0, '10.0.0.1'],
    // One proxy: the rightmost entry is what it saw; anything left of it was sent by the client.
    [req('10.0.0.1', '198.51.100.7, 203.0.113.5'), 1, '203.0.113.5'],
    // Two proxies: the second entry from the right.
    [req('10.0.0.1', '198.51.100.7, 203.0.113.5, 10.0.0.2'), 2, '203.0.113.5'],
    // More hops configured than entries: the leftmost entry.
    [req('10.0.0.1', '198.51.100.7'), 3, '198.51.100.7'],
    [req('10.0.0.1', '2001:db8::1, 198.51.100.9'), 1, '198.51.100.9'],
    // Not a valid IP where the client should be: the proxy's address, never the client's text.
    [req('10.0.0.1', 'evil, not-an-ip'), 1, '10.0.0.1'],
    [req('10.0.0.1', '  '), 1, '10.0.0.1'],
    [req('::ffff:127.0.0.1'), 0, '127.0.0.1'],
    // IPv6 clients are grouped by /64.
    [req('::1'), 1, '0:0:0:0::/64'],
    [req('2001:db8:1:2:aaaa::1'), 0, '2001:db8:1:2::/64'],
    [req('10.0.0.1', '2001:db8:1:2:ffff:ffff:ffff:fffe'), 1, '2001:db8:1:2::/64'],
  ])('%#: %s hops -> %s', (r, hops, expected) => {
    expect(clientIdOf(r, hops)).toBe(expected);
  });
});
