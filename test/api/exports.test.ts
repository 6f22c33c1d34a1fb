// Exports as tasks through real API processes and a real worker: submitExport, its ticket
// (QUEUED, DEDUPLICATED, CACHED: one task, one file), real progress, ExportResult, and the
// download from every API process; bad input queues nothing.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsTable, searchContracts } from '../../src/contracts/index.js';
import { collect, gql, gqlData, TASK_PROGRESS, wsClient, type TaskEventJson } from '../helpers/graphql.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { rawGet } from '../exports/http.js';
import { expectedContractCells, parseExportText } from '../exports/support.js';

const TICKET = 'status taskId cacheKey message task { id kind state progress cacheKey }';
const SUBMIT_EXPORT = `mutation($input: ExportInput!) { ticket: submitExport(input: $input) { ${TICKET} } }`;
const EXPORT_RESULT = `query($cacheKey: String!) {
  taskResult(cacheKey: $cacheKey) { status message data { __typename ... on ExportResult { rows bytes columns url expiresAt } } }
}`;

type Ticket = { status: string; taskId: string; cacheKey: string; task: { kind: string; state: string } };
type ExportData = { __typename: string; rows: number; bytes: number; columns: string[]; url: string; expiresAt: string };

describe('exports over GraphQL', () => {
  let stack: Stack;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kontrata-api-exports-'));
    // Two API processes (the download works on any), no worker until a test starts one.
    stack = await startStack('api_exports', { workers: 0, apis: 2, contracts: 1200, env: { EXPORT_DIR: dir } });
  });
  afterAll(async () => {
    await stack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const submit = async (input: Record<string, unknown>) => (await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT_EXPORT, { input })).ticket;
  const result = async (cacheKey: string) => (await gqlData<{ taskResult: { status: string; data: ExportData | null } }>(stack.url, EXPORT_RESULT, { cacheKey })).taskResult;

  describe('when the same export is asked twice, then again after it finished', () => {
    const filters = { keywords: ['road'], timeRanges: [{ from: '2020-01-01', to: '2023-12-31' }] };
    let first: Ticket;
    let second: Ticket;
    let followed: TaskEventJson[];
    beforeAll(async () => {
      first = await submit({ filters });
      second = await submit({ filters: { keywords: ['  ROAD', 'road'], timeRanges: [{ from: '2020-01-01', to: '2023-12-31' }] }, dimension: null });
      const client = wsClient(stack.url);
      let seen!: () => void;
      const subscribed = new Promise<void>((r) => (seen = r));
      const done = collect<{ taskProgress: TaskEventJson }>(client, TASK_PROGRESS, { taskId: first.taskId }, { onEvent: () => seen() });
      await subscribed;
      await stack.startWorker();
      const collected = await done;
      await client.dispose();
      followed = collected.events.map((e) => e.taskProgress);
    });

    it('is one task: QUEUED, then DEDUPLICATED onto it', () => {
      expect(first).toMatchObject({ status: 'QUEUED', task: { kind: 'EXPORT', state: 'PENDING' } });
      expect(first.cacheKey).toMatch(/^export:[0-9a-f]{64}$/);
      expect(second).toMatchObject({ status: 'DEDUPLICATED', taskId: first.taskId, cacheKey: first.cacheKey });
    });

    it('reports real progress up to SUCCESS', () => {
      const states = followed.map((e) => e.state).join(',');
      expect(states).toMatch(/^PENDING,STARTED,(PROGRESS,)+SUCCESS$/);
      const progress = followed.map((e) => e.progress);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress.at(-1)).toBe(100);
      expect(followed.some((e) => /^Writing [\d,]+ contracts$/.test(e.status))).toBe(true);
    });

    it('has an ExportResult whose file holds exactly the search\'s rows, downloadable from every API process', async () => {
      const r = await result(first.cacheKey);
      expect(r.status).toBe('READY');
      const data = r.data!;
      const total = (await searchContracts(stack.database.prisma, { filters, pageSize: 1 })).pagination.totalCount;
      expect(data).toMatchObject({ __typename: 'ExportResult', rows: total, url: expect.stringMatching(/^\/exports\/[A-Za-z0-9_-]{22}\.csv$/) });
      expect(data.columns[0]).toBe('reference_id');
      expect(total).toBeGreaterThan(10);
      const ttl = Date.parse(data.expiresAt) - Date.now();
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(stack.config.resultTtlSeconds * 1000);
      const expected = await expectedContractCells(stack.database.prisma, filters);
      for (const url of stack.urls) {
        const res = await rawGet(url, data.url);
        expect(res.status).toBe(200);
        expect(res.body.length).toBe(data.bytes);
        const file = parseExportText(res.body.toString('utf8'));
        expect(file.header).toEqual(data.columns);
        expect(file.rows).toEqual(expected);
      }
    });

    it('is CACHED when asked again: the same url, and one file on disk', async () => {
      const third = await submit({ filters });
      expect(third).toMatchObject({ status: 'CACHED', cacheKey: first.cacheKey, task: { state: 'SUCCESS' } });
      const url = (await result(third.cacheKey)).data!.url;
      expect(url).toBe((await result(first.cacheKey)).data!.url);
      const csvs = (await readdir(dir)).filter((n) => n.endsWith('.csv'));
      expect(csvs).toEqual([url.slice('/exports/'.length)]);
      expect((await readdir(dir)).filter((n) => n.startsWith('.partial-'))).toEqual([]);
    });
  });

  describe('when exporting groups of a dimension', () => {
    it('writes one row per name, as many as the analytics table has', async () => {
      const filters = { entities: [{ dimension: 'AREA', name: '(unspecified)' }] };
      const ticket = await submit({ filters, dimension: 'ORGANIZATION' });
      await expect.poll(async () => (await result(ticket.cacheKey)).status, { timeout: 30_000, interval: 200 }).toBe('READY');
      const data = (await result(ticket.cacheKey)).data!;
      const table = await analyticsTable(stack.database.prisma, { filters: filters as never, dimension: 'ORGANIZATION', pageSize: 1 });
      expect(data).toMatchObject({ rows: table.pagination.totalCount, columns: ['label', 'count', 'total_value', 'avg_value'] });
      const res = await rawGet(stack.urls[1]!, data.url, { 'accept-encoding': 'gzip' });
      expect(res.headers['content-disposition']).toMatch(/filename="kontrata-organization-\d{4}-\d{2}-\d{2}\.csv"/);
      expect(res.headers['content-encoding']).toBe('gzip');
    });
  });

  describe('when the input is invalid', () => {
    it.each([
      [{ filters: { minAmount: -1 } }, 'input.filters.minAmount'],
      [{ filters: { timeRanges: [{ year: 2023, quarter: 5 }] } }, 'input.filters.timeRanges[0].quarter'],
      [{ filters: { entities: [{ dimension: 'CONTRACTOR', name: ' ' }] } }, 'input.filters.entities[0].name'],
      [{ filters: {}, dimension: 'REGION' }, 'input.dimension'],
      [{ dimension: 'AREA' }, 'input.filters'],
    ])('%j: BAD_USER_INPUT naming %s, nothing queued', async (input, field) => {
      const before = await stack.queueFootprint();
      const res = await gql(stack.url, SUBMIT_EXPORT, { input });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await stack.queueFootprint()).toEqual(before);
    });
  });
});
