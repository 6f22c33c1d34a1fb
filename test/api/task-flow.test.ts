// Submit -> follow over graphql-ws -> read the result, for every task kind, through a
// real server, a real worker process, PostgreSQL and Redis.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect, gqlData, TASK_PROGRESS, wsClient, type TaskEventJson } from '../helpers/graphql.js';
import { SUBMIT, SYNC, TASK_RESULT, TASK_STATUS, type Ticket } from '../helpers/operations.js';
import { startStack, type Stack } from '../helpers/stack.js';

type Kind = keyof typeof SUBMIT;
const INPUTS: Record<Kind, Record<string, unknown>> = {
  SEARCH: {
    filters: { keywords: ['road'], timeRanges: [{ year: 2021 }, { from: '2023-01-01', to: '2023-06-30' }], minAmount: 50_000 },
    sortBy: 'AMOUNT',
    sortDirection: 'DESC',
    pageSize: 25,
    page: 2,
  },
  ANALYTICS: { filters: { organizations: ['department of'], areas: ['region'] }, topN: 3 },
  ANALYTICS_TABLE: { filters: { businessCategories: ['construction', 'supplies'] }, dimension: 'CONTRACTOR', sortBy: 'COUNT', pageSize: 5 },
};
const KINDS = Object.keys(INPUTS) as Kind[];

const events = (collected: { events: { taskProgress: TaskEventJson }[] }) => collected.events.map((e) => e.taskProgress);

describe('asynchronous tasks over GraphQL', () => {
  let stack: Stack;
  beforeAll(async () => {
    // No worker yet: tests decide when work starts, so the first events are observable.
    stack = await startStack('api_flow', { workers: 0 });
  });
  // Every test (or group) starts with no worker running and leaves none behind.
  afterEach(async () => {
    await stack.stopWorkers();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('when clients follow tasks from submission to success', () => {
    const tickets = {} as Record<Kind, Ticket>;
    const followed = {} as Record<Kind, TaskEventJson[]>;

    beforeAll(async () => {
      for (const kind of KINDS) tickets[kind] = (await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT[kind], { input: INPUTS[kind] })).ticket;
      const client = wsClient(stack.url);
      const firstSeen: Promise<void>[] = [];
      const done = KINDS.map((kind) => {
        let seen!: () => void;
        firstSeen.push(new Promise<void>((r) => (seen = r)));
        return collect<{ taskProgress: TaskEventJson }>(client, TASK_PROGRESS, { taskId: tickets[kind].taskId }, { onEvent: () => seen() });
      });
      await Promise.all(firstSeen); // every client is subscribed and has the current state
      await stack.startWorker();
      const results = await Promise.all(done);
      KINDS.forEach((kind, i) => {
        expect(results[i]!.completed).toBe(true);
        expect(results[i]!.errors).toBeNull();
        followed[kind] = events(results[i]!);
      });
      await client.dispose();
    });

    it.each(KINDS)('%s: the ticket is QUEUED with a PENDING task', (kind) => {
      const t = tickets[kind];
      expect(t.status).toBe('QUEUED');
      expect(t.task).toMatchObject({ id: t.taskId, kind, state: 'PENDING', progress: 0, cacheKey: t.cacheKey, attempts: 0 });
      expect(t.cacheKey).toMatch(new RegExp(`^[a-z_]+:[0-9a-f]+`));
    });

    it.each(KINDS)('%s: the subscription sees PENDING, STARTED, PROGRESS..., SUCCESS with non-decreasing progress', (kind) => {
      const seq = followed[kind];
      const states = seq.map((e) => e.state);
      expect(states.join(',')).toMatch(/^PENDING,STARTED,(PROGRESS,)+SUCCESS$/);
      const progress = seq.map((e) => e.progress);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress.at(-1)).toBe(100);
      for (const e of seq) expect(e).toMatchObject({ taskId: tickets[kind].taskId, cacheKey: tickets[kind].cacheKey, error: null });
    });

    it.each(KINDS)('%s: taskResult is READY with exactly the synchronous query\'s answer', async (kind) => {
      const { taskResult } = await gqlData(stack.url, TASK_RESULT, { cacheKey: tickets[kind].cacheKey });
      const { answer } = await gqlData(stack.url, SYNC[kind], { input: INPUTS[kind] });
      expect(taskResult.status).toBe('READY');
      const { __typename, ...data } = taskResult.data;
      expect(__typename).toBe({ SEARCH: 'SearchResult', ANALYTICS: 'AnalyticsResult', ANALYTICS_TABLE: 'AnalyticsTableResult' }[kind]);
      expect(data).toEqual(answer);
      // Not vacuous: the questions match rows.
      const size = kind === 'SEARCH' ? answer.contracts.length : kind === 'ANALYTICS' ? answer.summary.count : answer.rows.length;
      expect(size).toBeGreaterThan(0);
    });

    it.each(KINDS)('%s: taskStatus shows the finished task', async (kind) => {
      const { taskStatus } = await gqlData(stack.url, TASK_STATUS, { taskId: tickets[kind].taskId });
      expect(taskStatus).toMatchObject({ id: tickets[kind].taskId, kind, state: 'SUCCESS', progress: 100, attempts: 1, error: null });
      expect(Date.parse(taskStatus.finishedAt)).toBeGreaterThanOrEqual(Date.parse(taskStatus.startedAt));
      expect(Date.parse(taskStatus.startedAt)).toBeGreaterThanOrEqual(Date.parse(taskStatus.createdAt));
    });

    it('a client that subscribes after the task finished gets exactly one SUCCESS event, then completion', async () => {
      const client = wsClient(stack.url);
      const late = await collect<{ taskProgress: TaskEventJson }>(client, TASK_PROGRESS, { taskId: tickets.SEARCH.taskId });
      await client.dispose();
      expect(late.completed).toBe(true);
      expect(events(late)).toEqual([
        { taskId: tickets.SEARCH.taskId, state: 'SUCCESS', progress: 100, status: followed.SEARCH.at(-1)!.status, cacheKey: tickets.SEARCH.cacheKey, error: null },
      ]);
    });

    it.each(KINDS)('%s: submitting the same question again is CACHED, with a SUCCESS task and a READY result', async (kind) => {
      const { ticket } = await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT[kind], { input: INPUTS[kind] });
      expect(ticket.status).toBe('CACHED');
      expect(ticket.cacheKey).toBe(tickets[kind].cacheKey);
      expect(ticket.task.state).toBe('SUCCESS');
      const { taskResult } = await gqlData(stack.url, TASK_RESULT, { cacheKey: ticket.cacheKey });
      expect(taskResult.status).toBe('READY');
    });

    it('an equivalent question (chips in another case, order and spacing; defaults spelled out) is CACHED under the same key', async () => {
      const input = {
        filters: { keywords: ['  ROAD '], timeRanges: [{ year: 2021 }, { from: '2023-01-01', to: '2023-06-30' }], minAmount: 50_000 },
        sortBy: 'AMOUNT',
        page: 2,
        pageSize: 25,
      };
      const { ticket } = await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT.SEARCH, { input });
      expect(ticket).toMatchObject({ status: 'CACHED', cacheKey: tickets.SEARCH.cacheKey });
    });
  });

  describe('when the same question is submitted while its task is waiting', () => {
    it('the second ticket is DEDUPLICATED onto the first task', async () => {
      const input = { filters: { contractors: ['petron'] }, pageSize: 7 };
      const first = (await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT.SEARCH, { input })).ticket;
      const second = (await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT.SEARCH, { input })).ticket;
      expect(first.status).toBe('QUEUED');
      expect(second).toMatchObject({ status: 'DEDUPLICATED', taskId: first.taskId, cacheKey: first.cacheKey });
      expect(second.task.state).toBe('PENDING');
      const { taskResult } = await gqlData(stack.url, TASK_RESULT, { cacheKey: first.cacheKey });
      expect(taskResult).toMatchObject({ status: 'NOT_READY', data: null });

      // And both clients' task finishes once a worker runs.
      const client = wsClient(stack.url);
      const following = collect<{ taskProgress: TaskEventJson }>(client, TASK_PROGRESS, { taskId: first.taskId });
      await stack.startWorker();
      const seq = events(await following);
      await client.dispose();
      expect(seq.at(-1)?.state).toBe('SUCCESS');
    });
  });
});
