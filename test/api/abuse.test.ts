// The abuse battery of a public deployment (issue 9): every hostile request is answered
// with its code, and meanwhile /ready stays 200 and a small synchronous query keeps
// answering. Two API processes share one Redis (the operation budget is shared); 60,000
// generated contracts make a one-letter keyword search slower than the test's
// SYNC_TIMEOUT_MS of 200 ms. How fast each answer comes is measured by bench/abuse.ts.
import { getIntrospectionQuery } from 'graphql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp } from '../../src/app.js';
import { generateContracts } from '../../src/data/generate.js';
import { createLogger } from '../../src/logger.js';
import { gql, gqlData, wsClient, type GraphQLErrorJson } from '../helpers/graphql.js';
import { SUBMIT, type Ticket } from '../helpers/operations.js';
import { startStack, type Stack } from '../helpers/stack.js';

const RATE_LIMIT = 400;
const env = {
  SYNC_TIMEOUT_MS: '200',
  SYNC_CONCURRENCY: '2',
  QUERY_RATE_LIMIT: String(RATE_LIMIT),
  QUERY_RATE_WINDOW_SECONDS: '60',
  // Each scenario is its own client, named by X-Forwarded-For behind one trusted proxy.
  TRUST_PROXY: '1',
};
let nextClient = 1;
/** A fresh client address (203.0.113.x), so scenarios do not share a rate budget. */
const newClient = () => ({ 'x-forwarded-for': `203.0.113.${nextClient++}` });

const codeOf = (res: { errors?: GraphQLErrorJson[] }) => res.errors?.[0]?.extensions?.['code'];
const SEARCH_COUNT = `query($f: ContractFilter!) { searchContracts(input: { filters: $f }) { pagination { totalCount } } }`;

describe('abuse battery', () => {
  let stack: Stack;
  let stopProbes: () => Promise<{ ready: number[]; small: (string | null)[] }>;

  beforeAll(async () => {
    stack = await startStack('abuse', { contracts: 0, apis: 2, workers: 0, env });
    await generateContracts(stack.database.url, { contracts: 60_000, seed: 9 });
    // While the battery runs: /ready and a 1-row filterOptions, one after another, from a client of their own.
    const prober = newClient();
    const origin = new URL(stack.url).origin;
    const ready: number[] = [];
    const small: (string | null)[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        ready.push((await fetch(`${origin}/ready`)).status);
        const res = await gql(stack.url, '{ filterOptions(dimension: AREA, limit: 1) { label } }', undefined, prober);
        small.push(res.errors ? String(codeOf(res)) : null);
        // Paced, so the prober stays within its own operation budget.
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    stopProbes = async () => {
      running = false;
      await loop;
      return { ready, small };
    };
  });

  afterAll(async () => {
    await stopProbes?.();
    await stack?.stop();
  });

  describe('document limits (QUERY_TOO_COMPLEX, before execution)', () => {
    it('refuses 1,000 aliases (token limit) and 30 aliases (alias limit) of contractAnalytics', async () => {
      const alias = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: contractAnalytics(input: { filters: { keywords: ["a"] } }) { summary { count } }`).join(' ');
      const thousand = await gql(stack.url, `{ ${alias(1000)} }`, undefined, newClient());
      expect(codeOf(thousand)).toBe('QUERY_TOO_COMPLEX');
      const thirty = await gql(stack.url, `{ ${alias(30)} }`, undefined, newClient());
      expect(codeOf(thirty)).toBe('QUERY_TOO_COMPLEX');
      expect(thirty.errors![0]!.message).toMatch(/alias/i);
    });

    it('refuses two engine questions in one operation, but takes one', async () => {
      const two = await gql(
        stack.url,
        `{ a: searchContracts(input: { filters: {} }) { pagination { totalCount } } b: analyticsTable(input: { filters: {}, dimension: AREA }) { pagination { totalCount } } }`,
        undefined,
        newClient(),
      );
      expect(codeOf(two)).toBe('QUERY_TOO_COMPLEX');
      expect(two.errors![0]!.message).toMatch(/one of searchContracts, contractAnalytics, analyticsTable/);
      // One passes the document limits and runs: it is answered, or (on a loaded machine, with
      // this test's 200 ms budget) runs out of time, but it is never QUERY_TOO_COMPLEX.
      const one = await gql(stack.url, `{ searchContracts(input: { filters: { minAmount: 1e15 } }) { pagination { totalCount } } }`, undefined, newClient());
      if (one.errors) expect(codeOf(one)).toBe('QUERY_TIMEOUT');
      else expect(one.data).toEqual({ searchContracts: { pagination: { totalCount: 0 } } });
    });

    it('refuses depth-50 introspection, and answers GraphiQL\'s introspection query', async () => {
      let inner = 'name';
      for (let i = 0; i < 48; i++) inner = `ofType { ${inner} }`;
      const deep = await gql(stack.url, `{ __schema { types { fields { type { ${inner} } } } } }`, undefined, newClient());
      expect(codeOf(deep)).toBe('QUERY_TOO_COMPLEX');
      const full = await gql(stack.url, getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }), undefined, newClient());
      expect(full.errors).toBeUndefined();
      expect((full.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(20);
    });

    it('refuses a 5 MB document with 413 before reading it all', async () => {
      const res = await gql(stack.url, `{ __typename } # ${'x'.repeat(5 * 1024 * 1024)}`, undefined, newClient());
      expect(res.status).toBe(413);
      expect(codeOf(res)).toBe('REQUEST_ENTITY_TOO_LARGE');
    });

    it('refuses a 5 MB chunked body (no Content-Length) with 413, and still answers a small chunked one', async () => {
      const chunked = async (body: string) => {
        const res = await fetch(stack.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...newClient() },
          // A stream body is sent with Transfer-Encoding: chunked, without Content-Length.
          body: new Blob([body]).stream(),
          duplex: 'half',
        } as RequestInit);
        return { status: res.status, json: (await res.json()) as { data?: unknown; errors?: GraphQLErrorJson[] } };
      };
      const big = await chunked(JSON.stringify({ query: `{ __typename } # ${'x'.repeat(5 * 1024 * 1024)}` }));
      expect(big.status).toBe(413);
      expect(big.json.errors![0]!.extensions!['code']).toBe('REQUEST_ENTITY_TOO_LARGE');
      const small = await chunked(JSON.stringify({ query: '{ __typename }' }));
      expect(small.status).toBe(200);
      expect(small.json.data).toEqual({ __typename: 'Query' });
    });

    it('hides field suggestions outside development', async () => {
      const res = await gql(stack.url, '{ searchContract(input: { filters: {} }) { pagination { totalCount } } }', undefined, newClient());
      expect(res.errors![0]!.message).not.toMatch(/Did you mean/);
      expect(res.errors![0]!.message).toMatch(/Cannot query field "searchContract"/);
    });
  });

  describe('input caps (BAD_USER_INPUT naming the field)', () => {
    it('refuses 10,000 time ranges as variables (and as literals, by the token limit)', async () => {
      const ranges = Array.from({ length: 10_000 }, (_, i) => ({ year: 2000 + (i % 25) }));
      const res = await gql(stack.url, SEARCH_COUNT, { f: { timeRanges: ranges } }, newClient());
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions!['field']).toBe('input.filters.timeRanges');
      const literal = await gql(stack.url, `{ searchContracts(input: { filters: { timeRanges: [${'{ year: 2020 } '.repeat(10_000)}] } }) { pagination { totalCount } } }`, undefined, newClient());
      expect(codeOf(literal)).toBe('QUERY_TOO_COMPLEX');
    });

    it('refuses a chip of 66 && parts', async () => {
      const chip = Array.from({ length: 66 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('&&');
      const res = await gql(stack.url, SEARCH_COUNT, { f: { keywords: ['road', chip] } }, newClient());
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions!['field']).toBe('input.filters.keywords[1]');
    });

    it('answers 150 bad enum literals in a 230 KB document with BAD_USER_INPUT errors naming the field', async () => {
      // 150 operations in one document (validation checks them all), each with a bad enum literal.
      const name = 'N'.repeat(1500);
      const doc = Array.from({ length: 150 }, (_, i) => `query q${i} { filterOptions(dimension: NOT_A_DIMENSION_${i}, search: "${name}") { label } }`).join('\n');
      expect(doc.length).toBeGreaterThan(225_000);
      const res = (await (
        await fetch(stack.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...newClient() },
          body: JSON.stringify({ query: doc, operationName: 'q0' }),
        })
      ).json()) as { errors?: GraphQLErrorJson[] };
      // graphql-js stops validating after 100 errors (and says so in one more error).
      const bad = res.errors!.filter((e) => e.extensions?.['code'] === 'BAD_USER_INPUT');
      expect(bad, JSON.stringify(res.errors!.slice(0, 2))).toHaveLength(100);
      expect(bad.every((e) => e.extensions!['field'] === 'dimension')).toBe(true);
      expect(res.errors!.length).toBeLessThanOrEqual(101);
    });
  });

  describe('synchronous budget', () => {
    it('answers one-letter keyword searches with QUERY_TIMEOUT pointing at the submit mutation, and cancels their statements', async () => {
      const client = newClient();
      // How long a one-letter search takes depends on the machine; what is tested is what
      // happens past the budget. A transaction holding the contracts table makes every
      // statement of these questions wait, so each one certainly outlives SYNC_TIMEOUT_MS.
      const locker = new pg.Client({ connectionString: stack.database.url });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE contracts IN ACCESS EXCLUSIVE MODE');
      let answers: Awaited<ReturnType<typeof gql>>[];
      try {
        answers = await Promise.all(
          Array.from({ length: 6 }, (_, i) => gql(stack.urls[i % 2]!, SEARCH_COUNT, { f: { keywords: [['a', 'e', 'i', 'o', 'u', 'n'][i]!] } }, client)),
        );
      } finally {
        await locker.query('ROLLBACK');
        await locker.end();
      }
      for (const res of answers) {
        expect(codeOf(res)).toBe('QUERY_TIMEOUT');
        expect(res.errors![0]!.message).toMatch(/submitSearch/);
      }
      // Cancelled, not abandoned: no statement of this database is left running.
      const admin = new pg.Client({ connectionString: stack.database.url });
      await admin.connect();
      try {
        await expect
          .poll(
            async () =>
              (await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`)).rows[0].n,
            { timeout: 5000 },
          )
          .toBe(0);
      } finally {
        await admin.end();
      }
    });
  });

  describe('when the client disconnects', () => {
    it('cancels its synchronous question\'s statement (well before SYNC_TIMEOUT_MS)', async () => {
      // A second API on the same deployment whose budget (60 s) cannot explain the cancel.
      const patient = buildApp({ ...stack.config, syncTimeoutMs: 60_000 }, { logger: createLogger({ level: 'silent', name: 'patient' }) });
      const { url } = await patient.start();
      const admin = new pg.Client({ connectionString: stack.database.url });
      await admin.connect();
      // A transaction holding the keyword table keeps the question's first statement waiting
      // (active) for as long as the test needs, however fast the machine answers it.
      const locker = new pg.Client({ connectionString: stack.database.url });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE contract_search IN ACCESS EXCLUSIVE MODE');
      const lockerPid = (await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const active = async () =>
        (await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND pid <> $1`, [lockerPid])).rows[0].n as number;
      try {
        const controller = new AbortController();
        const answer = fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...newClient() },
          body: JSON.stringify({ query: 'query($f: ContractFilter!) { contractAnalytics(input: { filters: $f }) { summary { count } } }', variables: { f: { keywords: ['a && e'] } } }),
          signal: controller.signal,
        }).catch(() => null);
        await expect.poll(active, { timeout: 20_000 }).toBeGreaterThan(0);
        controller.abort();
        await answer;
        await expect.poll(active, { timeout: 10_000 }).toBe(0);
      } finally {
        await locker.query('ROLLBACK');
        await locker.end();
        await admin.end();
        await patient.stop();
      }
    });
  });

  describe('rate limits', () => {
    it('gives every client QUERY_RATE_LIMIT operations per window across both API processes, then RATE_LIMITED', async () => {
      const client = newClient();
      const codes: unknown[] = [];
      for (let i = 0; i < RATE_LIMIT; i += 20) {
        const batch = await Promise.all(Array.from({ length: 20 }, (_, j) => gql(stack.urls[(i + j) % 2]!, '{ __typename }', undefined, client)));
        codes.push(...batch.map(codeOf));
      }
      expect(codes.filter((c) => c !== undefined)).toEqual([]);
      const refused = await gql(stack.urls[0]!, '{ __typename }', undefined, client);
      expect(codeOf(refused)).toBe('RATE_LIMITED');
      expect(refused.errors![0]!.extensions!['retryAfterSeconds']).toBeGreaterThan(0);
      // Another client is not affected.
      expect(codeOf(await gql(stack.urls[1]!, '{ __typename }', undefined, newClient()))).toBeUndefined();
    });
  });

  describe('connections', () => {
    it('accepts 20 WebSockets from one client and answers the other 480 with HTTP 429', async () => {
      const headers = newClient();
      const wsUrl = stack.url.replace(/^http/, 'ws');
      const outcomes = await Promise.all(
        Array.from(
          { length: 500 },
          () =>
            new Promise<{ status: number; socket?: WebSocket }>((resolve) => {
              const socket = new WebSocket(wsUrl, 'graphql-transport-ws', { headers });
              socket.once('open', () => {
                // Initialised, so graphql-ws does not close it after its 3 s init timeout.
                socket.send(JSON.stringify({ type: 'connection_init' }));
                resolve({ status: 101, socket });
              });
              socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
              socket.once('error', () => resolve({ status: -1 }));
            }),
        ),
      );
      const statuses = outcomes.map((o) => o.status);
      expect(statuses.filter((s) => s === 101)).toHaveLength(20);
      expect(statuses.filter((s) => s === 429)).toHaveLength(480);
      // Closing one frees its place.
      const open = outcomes.filter((o) => o.socket);
      await new Promise<void>((resolve) => {
        open[0]!.socket!.once('close', () => resolve());
        open[0]!.socket!.close();
      });
      await expect
        .poll(
          () =>
            new Promise<number>((resolve) => {
              const again = new WebSocket(wsUrl, 'graphql-transport-ws', { headers });
              again.once('open', () => {
                again.send(JSON.stringify({ type: 'connection_init' }));
                open.push({ status: 101, socket: again });
                resolve(101);
              });
              again.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
            }),
        )
        .toBe(101);
      for (const o of open) o.socket!.terminate();
    });

    it('runs 20 subscriptions on one socket and refuses the other 80 with TOO_MANY_CONNECTIONS', async () => {
      const { ticket } = await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT.SEARCH, { input: { filters: { keywords: ['battery'] } } }, newClient());
      const client = wsClient(stack.url);
      const first: unknown[] = [];
      const refused: unknown[] = [];
      const stops = Array.from({ length: 100 }, () =>
        client.subscribe(
          { query: 'subscription($id: ID!) { taskProgress(taskId: $id) { state } }', variables: { id: ticket.taskId } },
          {
            next: (r) => first.push(r.data),
            error: (err) => refused.push((err as GraphQLErrorJson[])[0]?.extensions?.['code']),
            complete: () => {},
          },
        ),
      );
      await expect.poll(() => first.length + refused.length, { timeout: 10_000 }).toBe(100);
      expect(first).toHaveLength(20);
      expect(refused).toEqual(Array(80).fill('TOO_MANY_CONNECTIONS'));
      for (const stop of stops) stop();
      await client.dispose();
    });

    it('accepts 20 SSE streams from one client and refuses the 21st with 429 TOO_MANY_CONNECTIONS', async () => {
      const { ticket } = await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT.SEARCH, { input: { filters: { keywords: ['sse'] } } }, newClient());
      const client = newClient();
      const controllers: AbortController[] = [];
      const open = (): Promise<Response> => {
        const controller = new AbortController();
        controllers.push(controller);
        return fetch(stack.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...client },
          body: JSON.stringify({ query: 'subscription($id: ID!) { taskProgress(taskId: $id) { state } }', variables: { id: ticket.taskId } }),
          signal: controller.signal,
        });
      };
      const streams = await Promise.all(Array.from({ length: 20 }, open));
      expect(streams.map((r) => r.status)).toEqual(Array(20).fill(200));
      const refused = await open();
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { errors: GraphQLErrorJson[] }).errors[0]!.extensions!['code']).toBe('TOO_MANY_CONNECTIONS');
      for (const c of controllers) c.abort();
    });
  });

  describe('cross-site requests', () => {
    it('refuses a form-encoded cross-site POST with 403 CSRF_PREVENTED and queues nothing', async () => {
      const before = await stack.queueFootprint();
      const res = await fetch(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', ...newClient() },
        body: new URLSearchParams({ query: 'mutation { submitSearch(input: { filters: { keywords: ["csrf"] } }) { taskId } }' }).toString(),
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { errors: GraphQLErrorJson[] }).errors[0]!.extensions!['code']).toBe('CSRF_PREVENTED');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(await stack.queueFootprint()).toEqual(before);
    });

    it('refuses a WebSocket from a page on another site', async () => {
      const status = await new Promise<number>((resolve) => {
        const socket = new WebSocket(stack.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: { origin: 'https://evil.example' } });
        socket.once('open', () => {
          socket.terminate();
          resolve(101);
        });
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      });
      expect(status).toBe(403);
    });
  });

  describe('meanwhile', () => {
    it('/ready stayed 200 and the small synchronous query kept answering', async () => {
      const { ready, small } = await stopProbes();
      expect(ready.length).toBeGreaterThan(5);
      expect(ready.every((s) => s === 200)).toBe(true);
      expect(small.every((e) => e === null)).toBe(true);
    });
  });
});
