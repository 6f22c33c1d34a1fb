// With Redis run without persistence, a restart empties the task store. What matters then
// is what clients are told: that the store lost their task (not that it expired) and that
// they should submit the question again; and that the API logs it as the expected
// condition it is (warn, no stack), not as a crash.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFault, type FaultOutcome } from '../helpers/faults.js';
import { collect, gql, gqlData, TASK_PROGRESS, wsClient, type TaskEventJson } from '../helpers/graphql.js';
import { SUBMIT, TASK_STATUS, type Ticket } from '../helpers/operations.js';
import { privateRedisServer, VOLATILE_REDIS_ARGS, type PrivateServer } from '../helpers/private-servers.js';
import { startStack, type Stack } from '../helpers/stack.js';

const LOST = /^The task store no longer has task "[^"]+" \(created [^)]+\): (it has held no task since it last started empty|it started empty again at [^,]+), so Redis lost its data .*Submit the question again\.$/i;

describe('a task store without persistence, restarted under running and queued tasks', () => {
  let redis: PrivateServer;
  let stack: Stack;
  let outcome: FaultOutcome;
  const logs: { level: number; msg: string; code?: string; reason?: string; err?: unknown }[] = [];

  beforeAll(async () => {
    redis = await privateRedisServer({ extraArgs: VOLATILE_REDIS_ARGS });
    const logger = pino({ level: 'info' }, { write: (s: string) => void logs.push(JSON.parse(s)) });
    stack = await startStack('faults_lost', { contracts: 2000, redisUrl: redis.url, logger, env: { WORKER_CONCURRENCY: '1' } });
    outcome = await runFault({ url: stack.url, databaseUrl: stack.database.url, redis, postgres: null, concurrency: 1 }, 'redis-restart', {
      tasks: 3,
      seq: 0,
      readyWithinMs: 5000,
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await redis?.remove();
  });

  it('hit a running task and queued ones, and /ready recovered', () => {
    expect([outcome.runningAtFault, outcome.queuedAtFault]).toEqual([1, 2]);
    expect(outcome.readyMs).not.toBeNull();
  });

  it('ends every subscription with NOT_FOUND, reason LOST: lost, submit again, never "expired"', () => {
    for (const t of outcome.tasks) {
      expect(t.end).toBe('ERROR');
      expect(t.error).toMatchObject({ extensions: { code: 'NOT_FOUND', reason: 'LOST', taskId: t.taskId } });
      expect(t.error!.message).toMatch(LOST);
      expect(t.error!.message).not.toMatch(/expire/);
    }
  });

  it('answers taskResult NOT_FOUND saying the result was lost, not expired', () => {
    for (const t of outcome.tasks) {
      expect(t.result.status).toBe('NOT_FOUND');
      expect(t.result.message).toMatch(/^No result for this cache key\. The task store (started empty \d+ s ago|has held no task since it last started empty).* lost, not expired\. Submit the question again\.$/);
    }
  });

  it('answers taskStatus null with a NOT_FOUND error saying the task was lost', async () => {
    const t = outcome.tasks[0]!;
    const res = await gql(stack.url, TASK_STATUS, { taskId: t.taskId });
    expect(res.data).toEqual({ taskStatus: null });
    expect(res.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(LOST), extensions: { code: 'NOT_FOUND', taskId: t.taskId, reason: 'LOST' } })]);
  });

  it('refuses a later subscription to a lost task the same way', async () => {
    const client = wsClient(stack.url);
    const res = await collect<{ taskProgress: TaskEventJson }>(client, TASK_PROGRESS, { taskId: outcome.tasks[1]!.taskId });
    await client.dispose();
    expect(res.events).toEqual([]);
    expect(res.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(LOST), extensions: expect.objectContaining({ reason: 'LOST' }) })]);
  });

  it('logs the losses at warn without a stack, and nothing at error level', () => {
    const lost = logs.filter((l) => l.reason === 'LOST');
    expect(lost.length).toBeGreaterThanOrEqual(outcome.tasks.length);
    expect(new Set(lost.map((l) => l.level))).toEqual(new Set([40]));
    expect(lost.filter((l) => 'err' in l || JSON.stringify(l).includes('"stack"'))).toEqual([]);
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('computes the question again when it is submitted again', async () => {
    const input = { filters: { keywords: ['road'] }, page: 1, pageSize: 5 };
    const { ticket } = await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT.SEARCH, { input });
    expect(ticket.status).toBe('QUEUED');
    const client = wsClient(stack.url);
    const res = await collect<{ taskProgress: TaskEventJson }>(client, TASK_PROGRESS, { taskId: ticket.taskId });
    await client.dispose();
    expect(res.events.at(-1)?.taskProgress.state).toBe('SUCCESS');
  });
});
