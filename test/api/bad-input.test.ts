// Invalid input is a BAD_USER_INPUT error naming the field, and nothing is queued:
// every rule of API.md's filter section, graphql-level input errors (malformed dates,
// wrong enum values, wrong types), and unknown ids.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect, gql, TASK_PROGRESS, wsClient, type TaskEventJson } from '../helpers/graphql.js';
import { SUBMIT, SYNC, TASK_STATUS } from '../helpers/operations.js';
import { startStack, type Stack } from '../helpers/stack.js';

const chips = (n: number) => Array.from({ length: n }, (_, i) => `chip ${i}`);
const long = 'x'.repeat(201);
const entities = (n: number) => Array.from({ length: n }, (_, i) => ({ dimension: 'CONTRACTOR', name: `NAME ${i}` }));
const search = (filters: Record<string, unknown>, rest: Record<string, unknown> = {}) => ({ kind: 'SEARCH' as const, input: { filters, ...rest } });
const analytics = (rest: Record<string, unknown>) => ({ kind: 'ANALYTICS' as const, input: { filters: {}, ...rest } });
const table = (rest: Record<string, unknown>) => ({ kind: 'ANALYTICS_TABLE' as const, input: { filters: {}, dimension: 'AREA', ...rest } });

type Case = { name: string; kind: keyof typeof SUBMIT; input: Record<string, unknown>; field: string };

// Submitted as variables ($input), the way real clients send them.
const VARIABLE_CASES: Case[] = [
  { name: 'quarter 0', ...search({ timeRanges: [{ year: 2023, quarter: 0 }] }), field: 'input.filters.timeRanges[0].quarter' },
  { name: 'quarter 5 in the second range', ...search({ timeRanges: [{ year: 2022 }, { year: 2023, quarter: 5 }] }), field: 'input.filters.timeRanges[1].quarter' },
  { name: 'quarter without a year', ...search({ timeRanges: [{ quarter: 2 }] }), field: 'input.filters.timeRanges[0].quarter' },
  { name: 'from after to', ...search({ timeRanges: [{ from: '2023-05-01', to: '2023-04-30' }] }), field: 'input.filters.timeRanges[0].from' },
  { name: 'a range mixing year and from', ...search({ timeRanges: [{ year: 2023, from: '2023-01-01' }] }), field: 'input.filters.timeRanges[0]' },
  { name: 'a range mixing quarter and to', ...search({ timeRanges: [{ year: 2023, quarter: 1, to: '2023-02-01' }] }), field: 'input.filters.timeRanges[0]' },
  { name: 'an empty range', ...search({ timeRanges: [{}] }), field: 'input.filters.timeRanges[0]' },
  { name: 'minAmount > maxAmount', ...search({ minAmount: 1000, maxAmount: 999.99 }), field: 'input.filters.minAmount' },
  { name: 'negative minAmount', ...search({ minAmount: -1 }), field: 'input.filters.minAmount' },
  { name: 'negative maxAmount', ...search({ maxAmount: -0.01 }), field: 'input.filters.maxAmount' },
  { name: '51 contractor chips', ...search({ contractors: chips(51) }), field: 'input.filters.contractors' },
  { name: '51 organization chips', ...search({ organizations: chips(51) }), field: 'input.filters.organizations' },
  { name: '51 area chips', ...search({ areas: chips(51) }), field: 'input.filters.areas' },
  { name: '51 business category chips', ...search({ businessCategories: chips(51) }), field: 'input.filters.businessCategories' },
  { name: '51 keyword chips', ...search({ keywords: chips(51) }), field: 'input.filters.keywords' },
  { name: 'a contractor chip of 201 characters', ...search({ contractors: ['petron', 'megawide', long] }), field: 'input.filters.contractors[2]' },
  { name: 'a keyword chip of 201 characters', ...search({ keywords: ['a', 'b', 'c', long] }), field: 'input.filters.keywords[3]' },
  { name: '51 entities', ...search({ entities: entities(51) }), field: 'input.filters.entities' },
  { name: 'an empty entity name', ...search({ entities: [...entities(3), { dimension: 'AREA', name: '' }] }), field: 'input.filters.entities[3].name' },
  { name: 'a whitespace-only entity name', ...analytics({ filters: { entities: [{ dimension: 'CONTRACTOR', name: '   ' }] } }), field: 'input.filters.entities[0].name' },
  { name: 'an entity name of 301 characters', ...table({ filters: { entities: [...entities(1), { dimension: 'ORGANIZATION', name: 'x'.repeat(301) }] } }), field: 'input.filters.entities[1].name' },
  { name: 'a wrong entity dimension', ...search({ entities: [{ dimension: 'REGION', name: 'V' }] }), field: 'input.filters.entities[0].dimension' },
  { name: 'an entity without a name', ...search({ entities: [{ dimension: 'AREA' }] }), field: 'input.filters.entities[0].name' },
  { name: 'page 0', ...search({}, { page: 0 }), field: 'input.page' },
  { name: 'page -3', ...search({}, { page: -3 }), field: 'input.page' },
  { name: 'pageSize 0', ...search({}, { pageSize: 0 }), field: 'input.pageSize' },
  { name: 'pageSize 501', ...search({}, { pageSize: 501 }), field: 'input.pageSize' },
  { name: 'table pageSize 0', ...table({ pageSize: 0 }), field: 'input.pageSize' },
  { name: 'table pageSize 501', ...table({ pageSize: 501 }), field: 'input.pageSize' },
  { name: 'table page 0', ...table({ page: 0 }), field: 'input.page' },
  { name: 'analytics with invalid filters', ...analytics({ filters: { minAmount: -5 } }), field: 'input.filters.minAmount' },
  { name: 'topN 0', ...analytics({ topN: 0 }), field: 'input.topN' },
  { name: 'topN 101', ...analytics({ topN: 101 }), field: 'input.topN' },
  // Rejected by GraphQL input coercion before any resolver runs.
  { name: 'an impossible Date (2023-02-30)', ...search({ timeRanges: [{ from: '2023-02-30' }] }), field: 'input.filters.timeRanges[0].from' },
  { name: 'a Date in another format', ...search({ timeRanges: [{ to: '01/31/2023' }] }), field: 'input.filters.timeRanges[0].to' },
  { name: 'a wrong sortBy enum value', ...search({}, { sortBy: 'PRICE' }), field: 'input.sortBy' },
  { name: 'a wrong sortDirection enum value', ...search({}, { sortDirection: 'UP' }), field: 'input.sortDirection' },
  { name: 'a wrong dimension enum value', ...table({ dimension: 'REGION' }), field: 'input.dimension' },
  { name: 'a wrong aggregate sortBy', ...table({ sortBy: 'AMOUNT' }), field: 'input.sortBy' },
  { name: 'pageSize as a string', ...search({}, { pageSize: '10' }), field: 'input.pageSize' },
  { name: 'a non-integer page', ...search({}, { page: 1.5 }), field: 'input.page' },
  { name: 'minAmount as text', ...search({ minAmount: 'lots' }), field: 'input.filters.minAmount' },
  { name: 'a filter field that does not exist', ...search({ region: ['V'] }), field: 'input.filters.region' },
  { name: 'missing filters', kind: 'SEARCH', input: { pageSize: 5 }, field: 'input.filters' },
  { name: 'a null chip', ...search({ contractors: ['petron', null] }), field: 'input.filters.contractors[1]' },
];

// Written inline in the document (GraphQL literals are validated before execution).
const LITERAL_CASES: { name: string; query: string; field: string }[] = [
  { name: 'inline impossible Date', query: 'mutation { submitSearch(input: { filters: { timeRanges: [{ year: 2020 }, { from: "2023-13-01" }] } }) { taskId } }', field: 'input.filters.timeRanges[1].from' },
  { name: 'inline wrong enum', query: 'mutation { submitSearch(input: { filters: {}, sortBy: PRICE }) { taskId } }', field: 'input.sortBy' },
  { name: 'inline missing filters', query: 'mutation { submitAnalytics(input: { topN: 3 }) { taskId } }', field: 'input.filters' },
  { name: 'inline missing argument', query: 'mutation { submitAnalyticsTable { taskId } }', field: 'input' },
  { name: 'inline quarter 9', query: 'mutation { submitSearch(input: { filters: { timeRanges: [{ year: 2023, quarter: 9 }] } }) { taskId } }', field: 'input.filters.timeRanges[0].quarter' },
];

describe('bad input', () => {
  let stack: Stack;
  let before: Awaited<ReturnType<Stack['queueFootprint']>>;
  beforeAll(async () => {
    // No worker: anything queued would stay visible in the queue.
    stack = await startStack('api_bad_input', { workers: 0, contracts: 200 });
    before = await stack.queueFootprint();
  });
  // Whatever a test asked, bad input or unknown ids, it must leave the queue exactly as it was.
  afterEach(async () => {
    expect(await stack.queueFootprint()).toEqual(before);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('has at least 30 cases', () => {
    expect(VARIABLE_CASES.length + LITERAL_CASES.length).toBeGreaterThanOrEqual(30);
  });

  describe('when submitted as a task', () => {
    it.each(VARIABLE_CASES)('$name: BAD_USER_INPUT naming $field, nothing queued', async ({ kind, input, field }) => {
      const res = await gql(stack.url, SUBMIT[kind], { input });
      expect(res.data ?? null).toBeNull();
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.errors![0]!.message.length).toBeGreaterThan(10);
      expect(await stack.queueFootprint()).toEqual(before);
    });

    it.each(LITERAL_CASES)('$name: BAD_USER_INPUT naming $field, nothing queued', async ({ query, field }) => {
      const res = await gql(stack.url, query);
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await stack.queueFootprint()).toEqual(before);
    });
  });

  describe('when asked synchronously', () => {
    it.each(VARIABLE_CASES)('$name: the same error from the synchronous query', async ({ kind, input, field }) => {
      const res = await gql(stack.url, SYNC[kind], { input });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    });
  });

  describe('filterOptions', () => {
    it.each([
      [{ dimension: 'CONTRACTOR', limit: 0 }, 'limit'],
      [{ dimension: 'CONTRACTOR', limit: 101 }, 'limit'],
      [{ dimension: 'AREA', search: long }, 'search'],
      [{ dimension: 'PLACE' }, 'dimension'],
    ])('%j: BAD_USER_INPUT naming %s', async (variables, field) => {
      const res = await gql(stack.url, 'query($dimension: Dimension!, $search: String, $limit: Int) { filterOptions(dimension: $dimension, search: $search, limit: $limit) { label } }', variables);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    });
  });

  describe('unknown task ids', () => {
    it('taskProgress of an unknown task is a NOT_FOUND error', async () => {
      const client = wsClient(stack.url);
      const res = await collect<{ taskProgress: TaskEventJson }>(client, TASK_PROGRESS, { taskId: 'no-such-task' });
      await client.dispose();
      expect(res.events).toEqual([]);
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]).toMatchObject({ message: expect.stringContaining('no-such-task'), extensions: { code: 'NOT_FOUND', taskId: 'no-such-task' } });
    });

    it('taskStatus of an unknown task is null, without error', async () => {
      const res = await gql(stack.url, TASK_STATUS, { taskId: 'no-such-task' });
      expect(res).toMatchObject({ status: 200, data: { taskStatus: null } });
      expect(res.errors).toBeUndefined();
    });

    it('taskResult of an unknown key is NOT_FOUND, without error', async () => {
      const res = await gql(stack.url, 'query($k: String!) { taskResult(cacheKey: $k) { status message data { __typename } } }', { k: 'search:0000' });
      expect(res.data).toMatchObject({ taskResult: { status: 'NOT_FOUND', data: null } });
      expect(res.errors).toBeUndefined();
    });
  });
});
