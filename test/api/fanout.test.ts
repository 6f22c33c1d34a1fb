// Subscriptions go through Redis pub/sub, so they work across API instances and scale to
// many subscribers of one task.
import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect, gqlData, TASK_PROGRESS, wsClient, type TaskEventJson } from '../helpers/graphql.js';
import { SUBMIT, type Ticket } from '../helpers/operations.js';
import { startStack, type Stack } from '../helpers/stack.js';

type Followed = { taskProgress: TaskEventJson };

describe('taskProgress across instances and subscribers', () => {
  let stack: Stack;
  beforeAll(async () => {
    // 200 followers from one address: above the default per-client WebSocket cap, on purpose.
    stack = await startStack('api_fanout', { apis: 2, workers: 0, contracts: 2000, env: { MAX_WEBSOCKETS_PER_CLIENT: '250' } });
  });
  // Each test queues its task with no worker running, and starts one once its subscribers listen.
  afterEach(async () => {
    await stack.stopWorkers();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('when the mutation goes to one API instance and the subscription to another', () => {
    it('the subscriber on the other instance receives every event from the separate worker process', async () => {
      const [apiA, apiB] = stack.urls as [string, string];
      expect(apiA).not.toBe(apiB);
      const { ticket } = await gqlData<{ ticket: Ticket }>(apiA, SUBMIT.ANALYTICS, { input: { filters: { keywords: ['fuel'] }, topN: 5 } });
      expect(ticket.status).toBe('QUEUED');
      const client = wsClient(apiB);
      let first!: () => void;
      const subscribed = new Promise<void>((r) => (first = r));
      const following = collect<Followed>(client, TASK_PROGRESS, { taskId: ticket.taskId }, { onEvent: () => first() });
      await subscribed;
      await stack.startWorker();
      const result = await following;
      await client.dispose();
      const states = result.events.map((e) => e.taskProgress.state);
      expect(result.completed).toBe(true);
      expect(states.join(',')).toMatch(/^PENDING,STARTED,(PROGRESS,)+SUCCESS$/);
    });
  });

  describe('when 200 clients follow one task', () => {
    it('every one of them receives the final SUCCESS event and completion', async () => {
      const { ticket } = await gqlData<{ ticket: Ticket }>(stack.urls[0]!, SUBMIT.SEARCH, {
        input: { filters: { organizations: ['city of'] }, sortBy: 'CONTRACTOR', pageSize: 50 },
      });
      expect(ticket.status).toBe('QUEUED');
      const clients: Client[] = [];
      const firsts: Promise<void>[] = [];
      const results = Array.from({ length: 200 }, (_, i) => {
        // Half on each instance: 200 separate WebSocket connections.
        const client = wsClient(stack.urls[i % 2]!);
        clients.push(client);
        let first!: () => void;
        firsts.push(new Promise<void>((r) => (first = r)));
        return collect<Followed>(client, TASK_PROGRESS, { taskId: ticket.taskId }, { onEvent: () => first(), timeoutMs: 60_000 });
      });
      await Promise.all(firsts); // all 200 are subscribed and saw PENDING
      await stack.startWorker();
      const all = await Promise.all(results);
      await Promise.all(clients.map((c) => c.dispose()));
      const finals = all.map((r) => ({ completed: r.completed, errors: r.errors, first: r.events[0]?.taskProgress.state, last: r.events.at(-1)?.taskProgress }));
      expect(finals.filter((f) => f.completed && f.errors === null && f.first === 'PENDING' && f.last?.state === 'SUCCESS' && f.last.progress === 100)).toHaveLength(200);
      // Each client saw non-decreasing progress.
      for (const r of all) {
        const progress = r.events.map((e) => e.taskProgress.progress);
        expect(progress).toEqual([...progress].sort((a, b) => a - b));
      }
    }, 120_000);
  });
});
