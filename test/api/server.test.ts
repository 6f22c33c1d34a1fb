// The HTTP surface around GraphQL: GraphiQL, GET and SSE transports, /health and /ready,
// masking of unexpected errors, and behaviour while PostgreSQL or Redis is down.
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { taskKeys } from '../../src/tasks/keys.js';
import { createTestDatabase, testQueuePrefix, type TestDatabase } from '../helpers/db.js';
import { loadFixture } from '../helpers/fixture.js';
import { collect, gql, gqlData, TASK_PROGRESS, wsClient, type TaskEventJson } from '../helpers/graphql.js';
import { SUBMIT, TASK_STATUS, type Ticket } from '../helpers/operations.js';
import { startPrivateRedis, startTcpProxy, type PrivateRedis, type TcpProxy } from '../helpers/outage.js';
import { deletePrefix } from '../helpers/redis.js';

const COUNT_QUERY = 'query { searchContracts(input: { filters: {}, pageSize: 1 }) { pagination { totalCount } } }';

/** A pino logger writing JSON lines into `lines`, to check what the server logged. */
function capturingLogger(lines: string[]) {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return pino({ level: 'warn' }, sink);
}

describe('API server', () => {
  let database: TestDatabase;
  let redis: PrivateRedis;
  let pgProxy: TcpProxy;
  let redisProxy: TcpProxy;
  let app: App;
  let url: string;
  let origin: string;
  const logLines: string[] = [];
  const prefix = testQueuePrefix('api_server');

  beforeAll(async () => {
    database = await createTestDatabase('api_server');
    await loadFixture(database.url, 500);
    redis = await startPrivateRedis();
    pgProxy = await startTcpProxy(Number(new URL(database.url).port || 5432));
    redisProxy = await startTcpProxy(redis.port);
    const proxied = new URL(database.url);
    proxied.port = String(pgProxy.port);
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: proxied.toString(),
      REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
      QUEUE_PREFIX: prefix,
      PORT: '0',
      METRICS_PORT: '0',
    });
    app = buildApp(config, { logger: capturingLogger(logLines) });
    url = (await app.start()).url;
    origin = new URL(url).origin;
  });
  afterAll(async () => {
    await app?.stop();
    const r = new Redis(redis.url);
    await deletePrefix(r, prefix).catch(() => {});
    r.disconnect();
    await pgProxy?.close();
    await redisProxy?.close();
    await redis?.stop();
    await database?.drop();
  });

  describe('when everything is up', () => {
    it('/health answers 200', async () => {
      const res = await fetch(`${origin}/health`);
      expect(res.status).toBe(200);
    });

    it('/ready answers 200 and says only ok', async () => {
      const res = await fetch(`${origin}/ready`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    });

    it('serves GraphiQL to browsers on /graphql, with WebSocket subscriptions and the example tabs', async () => {
      const res = await fetch(url, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('GraphiQL');
      expect(html).toContain('submitSearch');
      expect(html).toContain('taskProgress');
      expect(html).toContain('taskResult');
      expect(html).toContain('"subscriptionsProtocol":"WS"');
    });

    it('answers queries over GET', async () => {
      // A GET is not preflighted by browsers: CSRF prevention wants the header that marks it deliberate.
      const plain = await fetch(`${url}?query=${encodeURIComponent(COUNT_QUERY)}`, { headers: { accept: 'application/json' } });
      expect(plain.status).toBe(403);
      expect(((await plain.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('CSRF_PREVENTED');
      const res = await fetch(`${url}?query=${encodeURIComponent(COUNT_QUERY)}`, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } });
      expect(await res.json()).toEqual({ data: { searchContracts: { pagination: { totalCount: 500 } } } });
    });

    it('streams subscriptions over SSE too', async () => {
      // A task that exists, with no worker: SSE must deliver its current state.
      const { ticket } = await gqlData<{ ticket: Ticket }>(url, SUBMIT.SEARCH, { input: { filters: { keywords: ['diesel'] } } });
      const controller = new AbortController();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: TASK_PROGRESS, variables: { taskId: ticket.taskId } }),
        signal: controller.signal,
      });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes('"taskProgress"')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      controller.abort();
      expect(text).toContain(`"taskId":"${ticket.taskId}"`);
      expect(text).toContain('"state":"PENDING"');
    });
  });

  describe('when an unexpected error happens in production', () => {
    it('the client gets "Unexpected error." without details, and the server logs the cause', async () => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.query('ALTER TABLE contracts RENAME TO contracts_hidden');
      try {
        const res = await gql(url, COUNT_QUERY);
        expect(res.errors).toHaveLength(1);
        const [error] = res.errors!;
        expect(error!.message).toBe('Unexpected error.');
        expect(JSON.stringify(error)).not.toMatch(/contracts_hidden|relation|does not exist|originalError|stack/i);
        expect(error!.extensions?.['code']).toBe('INTERNAL_SERVER_ERROR');
        expect(logLines.some((l) => /contracts/.test(l) && /"level":50/.test(l))).toBe(true);
      } finally {
        await client.query('ALTER TABLE contracts_hidden RENAME TO contracts');
        await client.end();
      }
    });

    it('a statement PostgreSQL refuses (a bug) is "Unexpected error.", never DATABASE_UNAVAILABLE', async () => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      // An undefined column in the engine's SQL, and an undefined table behind submit's data
      // version (read from PostgreSQL when Redis does not hold it).
      await client.query('ALTER TABLE contracts RENAME COLUMN award_date TO award_date_hidden');
      await client.query('ALTER TABLE dataset_state RENAME TO dataset_state_hidden');
      await forgetDataVersion();
      try {
        const search = await gql(url, COUNT_QUERY);
        const submit = await gql(url, SUBMIT.SEARCH, { input: { filters: { keywords: ['a bug'] } } });
        for (const res of [search, submit]) {
          expect(res.errors).toHaveLength(1);
          expect(res.errors![0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
        }
        expect(logLines.some((l) => /award_date/.test(l) && /"level":50/.test(l))).toBe(true);
      } finally {
        await client.query('ALTER TABLE contracts RENAME COLUMN award_date_hidden TO award_date');
        await client.query('ALTER TABLE dataset_state_hidden RENAME TO dataset_state');
        await client.end();
      }
      expect((await gql(url, COUNT_QUERY)).data).toEqual({ searchContracts: { pagination: { totalCount: 500 } } });
    });
  });

  describe('when PostgreSQL goes down and comes back', () => {
    it('requests that need PostgreSQL get DATABASE_UNAVAILABLE, task reads keep working, and it recovers', async () => {
      const { ticket } = await gqlData<{ ticket: Ticket }>(url, SUBMIT.SEARCH, { input: { filters: { keywords: ['medicines'] } } });
      await pgProxy.cut();
      try {
        const ready = await fetch(`${origin}/ready`);
        expect(ready.status).toBe(503);
        // Clients learn only that it is unavailable; the log says which service and why.
        expect(await ready.json()).toEqual({ status: 'unavailable' });
        expect(logLines.some((l) => /"msg":"not ready"/.test(l) && /"postgres":"unavailable/.test(l) && /"redis":"ok"/.test(l))).toBe(true);
        const search = await gql(url, COUNT_QUERY);
        expect(search.errors?.[0]?.extensions?.['code']).toBe('DATABASE_UNAVAILABLE');
        // A submission needs PostgreSQL only when Redis does not hold the data version.
        const known = await gqlData<{ ticket: Ticket }>(url, SUBMIT.SEARCH, { input: { filters: { keywords: ['known version'] } } });
        expect(known.ticket.status).toBe('QUEUED');
        await forgetDataVersion();
        const submit = await gql(url, SUBMIT.SEARCH, { input: { filters: { keywords: ['new question'] } } });
        expect(submit.errors?.[0]?.extensions?.['code']).toBe('DATABASE_UNAVAILABLE');
        // taskStatus reads Redis only.
        const status = await gqlData(url, TASK_STATUS, { taskId: ticket.taskId });
        expect(status.taskStatus).toMatchObject({ id: ticket.taskId, state: 'PENDING' });
      } finally {
        await pgProxy.restore();
      }
      await expect.poll(async () => (await fetch(`${origin}/ready`)).status, { timeout: 20_000 }).toBe(200);
      expect((await gql(url, COUNT_QUERY)).data).toEqual({ searchContracts: { pagination: { totalCount: 500 } } });
    }, 60_000);
  });

  /** Removes the data version the API keeps in Redis, so that the next submission reads it from PostgreSQL. */
  async function forgetDataVersion() {
    const client = new Redis(redis.url);
    try {
      await client.del(taskKeys(prefix).dataVersion);
    } finally {
      client.disconnect();
    }
  }

  /** Everything that needs Redis fails with REDIS_UNAVAILABLE; PostgreSQL-only questions still work. */
  async function expectRedisUnavailable() {
    const ready = await fetch(`${origin}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable' });
    expect(logLines.some((l) => /"msg":"not ready"/.test(l) && /"redis":"unavailable/.test(l) && /"postgres":"ok"/.test(l))).toBe(true);
    const status = await gql(url, TASK_STATUS, { taskId: '00000000-0000-4000-8000-000000000000' });
    expect(status.errors?.[0]?.extensions?.['code']).toBe('REDIS_UNAVAILABLE');
    const submit = await gql(url, SUBMIT.SEARCH, { input: { filters: {} } });
    expect(submit.errors?.[0]?.extensions?.['code']).toBe('REDIS_UNAVAILABLE');
    const client = wsClient(url);
    const sub = await collect(client, TASK_PROGRESS, { taskId: '00000000-0000-4000-8000-000000000000' });
    await client.dispose();
    expect(sub.errors?.[0]?.extensions?.['code']).toBe('REDIS_UNAVAILABLE');
    expect((await gql(url, COUNT_QUERY)).data).toEqual({ searchContracts: { pagination: { totalCount: 500 } } });
  }

  /** /ready, reads, submissions and subscriptions all work again (the connections reconnect on their own). */
  async function expectRecovered(keyword: string) {
    await expect.poll(async () => (await fetch(`${origin}/ready`)).status, { timeout: 20_000 }).toBe(200);
    await expect.poll(async () => (await gql(url, TASK_STATUS, { taskId: '00000000-0000-4000-8000-000000000000' })).data?.taskStatus, { timeout: 20_000 }).toBeNull();
    let ticket: Ticket | undefined;
    await expect
      .poll(async () => {
        ticket = (await gql<{ ticket: Ticket }>(url, SUBMIT.SEARCH, { input: { filters: { keywords: [keyword] } } })).data?.ticket;
        return ticket?.status;
      }, { timeout: 20_000 })
      .toBe('QUEUED');
    // The subscription works again: it delivers the task's current state.
    const client = wsClient(url);
    const events: TaskEventJson[] = [];
    collect<{ taskProgress: TaskEventJson }>(client, TASK_PROGRESS, { taskId: ticket!.taskId }, { onEvent: (e) => events.push(e.taskProgress) })
      .catch(() => {}); // disposing the client below ends it
    try {
      await expect.poll(() => events[0], { timeout: 10_000 }).toMatchObject({ taskId: ticket!.taskId, state: 'PENDING' });
    } finally {
      await client.dispose();
    }
  }

  /** Takes Redis away with `down`, checks what fails and what still works, brings it back with `up`, checks recovery. */
  async function throughRedisOutage(down: () => Promise<void>, up: () => Promise<void>, keyword: string) {
    await down();
    try {
      await expectRedisUnavailable();
    } finally {
      await up();
    }
    await expectRecovered(keyword);
  }

  describe('when the connection to Redis is cut and restored', () => {
    it('requests that need Redis get REDIS_UNAVAILABLE, the rest keeps working, and everything recovers', async () => {
      await throughRedisOutage(() => redisProxy.cut(), () => redisProxy.restore(), 'laptops');
    }, 60_000);
  });

  describe('when Redis restarts (losing its script cache)', () => {
    it('requests get REDIS_UNAVAILABLE while it is down, and everything recovers after', async () => {
      await throughRedisOutage(() => redis.stop(), () => redis.start(), 'toner');
    }, 60_000);
  });
});
