// Redis helpers for tests: a client, cleanup of one test prefix, and a subscriber
// that records every progress event of a prefix (subscribed before anything is submitted).
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from './db.js';
import { deletePrefixKeys, taskKeys } from '../../src/tasks/keys.js';
import type { TaskEvent } from '../../src/tasks/types.js';

/** A connected ioredis client for the test Redis (or `url`). */
export function createRedis(url = TEST_REDIS_URL): Redis {
  const r = new Redis(url);
  r.on('error', () => {}); // outage tests restart Redis on purpose; commands still reject
  return r;
}

/** Deletes every key of `prefix` (never anything else). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  await deletePrefixKeys(redis, prefix);
}

export type EventLog = {
  /** Events of one task, in the order Redis delivered them. */
  of(taskId: string): TaskEvent[];
  /** Task ids that published anything. */
  taskIds(): string[];
  /** Resolves with the first event of `taskId` matching `predicate` (past or future). */
  waitFor(taskId: string, predicate: (e: TaskEvent) => boolean, timeoutMs?: number): Promise<TaskEvent>;
  /** Resolves with the SUCCESS or FAILURE event of `taskId`. */
  waitForEnd(taskId: string, timeoutMs?: number): Promise<TaskEvent>;
  close(): Promise<void>;
};

/** Subscribes to every task channel of `prefix` and records the events. */
export async function recordEvents(prefix: string, url = TEST_REDIS_URL): Promise<EventLog> {
  const sub = createRedis(url);
  const channels = taskKeys(prefix).progressChannels;
  const byTask = new Map<string, TaskEvent[]>();
  const waiters = new Set<() => void>();
  sub.on('pmessage', (_pattern: string, channel: string, message: string) => {
    const taskId = channel.slice(channels.length);
    const event = JSON.parse(message) as TaskEvent;
    if (event.taskId !== taskId) throw new Error(`event of ${event.taskId} on channel of ${taskId}`);
    const list = byTask.get(taskId) ?? [];
    list.push(event);
    byTask.set(taskId, list);
    for (const w of [...waiters]) w();
  });
  await sub.psubscribe(`${channels}*`);
  const of = (taskId: string) => byTask.get(taskId) ?? [];
  const waitFor = (taskId: string, predicate: (e: TaskEvent) => boolean, timeoutMs = 30_000) =>
    new Promise<TaskEvent>((resolve, reject) => {
      const check = () => {
        const hit = of(taskId).find(predicate);
        if (!hit) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(hit);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for an event of ${taskId}; got ${JSON.stringify(of(taskId).map((e) => e.state))}`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });
  return {
    of,
    taskIds: () => [...byTask.keys()],
    waitFor,
    waitForEnd: (taskId, timeoutMs) => waitFor(taskId, (e) => e.state === 'SUCCESS' || e.state === 'FAILURE', timeoutMs),
    close: async () => {
      await sub.quit();
    },
  };
}
