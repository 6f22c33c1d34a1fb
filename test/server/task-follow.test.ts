// The taskProgress stream on its own, over real Redis pub/sub: stale and duplicate events
// are dropped, a lost final event is recovered by re-reading the record, unknown tasks are
// NOT_FOUND. The record source is a plain function here, standing in for the task store's
// getTask (the end-to-end tests in test/api use the real one).
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/errors.js';
import { createTaskFollower, isNewer } from '../../src/server/task-follow.js';
import { eventOf } from '../../src/tasks/record.js';
import type { TaskEvent, TaskRecord, TaskState } from '../../src/tasks/types.js';
import { testQueuePrefix, TEST_REDIS_URL } from '../helpers/db.js';

const topic = `${testQueuePrefix('task_follow')}:task:progress`;
const publisher = new Redis(TEST_REDIS_URL);
const subscriber = new Redis(TEST_REDIS_URL);
const pubsub = createPubSub<Record<string, [string, TaskEvent]>>({
  eventTarget: createRedisEventTarget({ publishClient: publisher, subscribeClient: subscriber }),
});
// Connected before the first SUBSCRIBE: ioredis's ready check (INFO) fails on a connection
// that is already in subscriber mode, which happened on a loaded machine.
beforeAll(async () => {
  await Promise.all([publisher.ping(), subscriber.ping()]);
});
afterAll(() => {
  publisher.disconnect();
  subscriber.disconnect();
});

// Task ids are UUIDs; the follower refuses anything else without asking Redis.
const taskId = (n: number): string => `00000000-0000-4000-8000-00000000000${n}`;
const [id1, id2, id3, id4, id5, id7] = [taskId(1), taskId(2), taskId(3), taskId(4), taskId(5), taskId(7)] as const;

const record = (id: string, state: TaskState, progress: number, status = `${state} ${progress}`): TaskRecord => ({
  id, kind: 'SEARCH', state, progress, status, cacheKey: 'search:abc', error: null, attempts: 1,
  createdAt: '2026-11-29T00:00:00.000Z', startedAt: null, finishedAt: null,
});
const publish = (r: TaskRecord) => publisher.publish(`${topic}:${r.id}`, JSON.stringify(eventOf(r)));

function follower(getTask: (id: string) => Promise<TaskRecord | null>, pollIntervalMs = 10_000) {
  return createTaskFollower({
    subscribe: (taskId) => pubsub.subscribe(topic, taskId),
    subscriptionsActive: () => subscriber.ping().then(() => {}),
    getTask,
    pollIntervalMs,
    logger: pino({ level: 'silent' }),
  });
}

async function drain(stream: AsyncIterable<TaskEvent>): Promise<string[]> {
  const seen: string[] = [];
  for await (const e of stream) seen.push(`${e.state} ${e.progress}`);
  return seen;
}

describe('isNewer', () => {
  const ev = (state: TaskState, progress: number, status = 's', error: string | null = null): TaskEvent => ({ taskId: 't', state, progress, status, cacheKey: 'k', error });
  it.each([
    [ev('PENDING', 0), ev('STARTED', 0), true],
    [ev('STARTED', 0), ev('PENDING', 0), false],
    [ev('PROGRESS', 40), ev('PROGRESS', 20), false],
    [ev('PROGRESS', 40), ev('PROGRESS', 40), false],
    [ev('PROGRESS', 40), ev('PROGRESS', 40, 'another step'), true],
    [ev('PROGRESS', 40), ev('STARTED', 0), false],
    [ev('PROGRESS', 40), ev('PROGRESS', 41), true],
    [ev('PROGRESS', 99), ev('SUCCESS', 100), true],
    [ev('PROGRESS', 50), ev('RETRY', 50, 's', 'boom'), true],
    [ev('RETRY', 50, 's', 'boom'), ev('STARTED', 0), true],
    [ev('SUCCESS', 100), ev('PROGRESS', 100), false],
    [ev('FAILURE', 30, 's', 'x'), ev('SUCCESS', 100), false],
  ])('%j then %j: %s', (last, next, expected) => {
    expect(isNewer(last, next)).toBe(expected);
  });
});

describe('createTaskFollower', () => {
  describe('when events older than the record arrive after it was read', () => {
    it('sends the record first, drops stale and duplicate events, keeps newer ones, and completes after SUCCESS', async () => {
      const task = record(id1, 'PROGRESS', 40);
      const follow = follower(async () => {
        // Published after the subscription is active and before the record is returned:
        // exactly the window the follower must de-duplicate.
        await publish(record(id1, 'STARTED', 0));
        await publish(record(id1, 'PROGRESS', 20));
        await publish(record(id1, 'PROGRESS', 40));
        // And one that happened after the record was read: must not be lost.
        await publish(record(id1, 'PROGRESS', 50));
        return task;
      });
      const stream = await follow(id1);
      const done = drain(stream);
      await publish(record(id1, 'PROGRESS', 60));
      await publish(record(id1, 'SUCCESS', 100));
      await publish(record(id1, 'PROGRESS', 100)); // after the end: never sent
      expect(await done).toEqual(['PROGRESS 40', 'PROGRESS 50', 'PROGRESS 60', 'SUCCESS 100']);
    });
  });

  describe('when the client goes away while the task has nothing new', () => {
    it('ends the stream and unsubscribes from the channel at once, without waiting for an event', async () => {
      const stream = (await follower(async () => record(id7, 'PENDING', 0))(id7))[Symbol.asyncIterator]();
      expect((await stream.next()).value).toMatchObject({ state: 'PENDING' });
      const waiting = stream.next(); // blocked: no event will come (poll interval 10 s)
      const channel = `${topic}:${id7}`;
      expect(await publisher.call('PUBSUB', 'NUMSUB', channel)).toEqual([channel, 1]);
      // A plain async generator would queue return() until the next event: hours for a PENDING task.
      // So return() must settle well within the 10 s poll interval.
      let returned: unknown = 'still waiting';
      void stream.return!(undefined).then((r) => (returned = r));
      await expect.poll(() => returned, { timeout: 3000 }).toEqual({ done: true, value: undefined });
      expect(await waiting).toEqual({ done: true, value: undefined });
      expect(await publisher.call('PUBSUB', 'NUMSUB', channel)).toEqual([channel, 0]);
    });
  });

  describe('when the task already finished', () => {
    it('sends exactly one event and completes', async () => {
      const stream = await follower(async () => record(id2, 'FAILURE', 30))(id2);
      expect(await drain(stream)).toEqual(['FAILURE 30']);
    });
  });

  describe('when the final event is lost', () => {
    it('re-reads the record after the poll interval and still completes', async () => {
      let current = record(id3, 'PENDING', 0);
      const stream = (await follower(async () => current, 200)(id3))[Symbol.asyncIterator]();
      expect((await stream.next()).value).toMatchObject({ state: 'PENDING', progress: 0 });
      current = record(id3, 'SUCCESS', 100); // written, but never published
      expect((await stream.next()).value).toMatchObject({ state: 'SUCCESS', progress: 100 });
      expect(await stream.next()).toEqual({ done: true, value: undefined });
    });
  });

  describe('when the task is unknown', () => {
    it('throws NotFoundError and leaves no subscription behind', async () => {
      await expect(follower(async () => null)(id4)).rejects.toBeInstanceOf(NotFoundError);
      // One round trip on the subscribe connection: every SUBSCRIBE and UNSUBSCRIBE the
      // follower sent before rejecting has been processed.
      await subscriber.ping();
      const [, listeners] = (await publisher.pubsub('NUMSUB', `${topic}:${id4}`)) as [string, number];
      expect(listeners).toBe(0);
    });
  });

  describe('when the task id is malformed or unknown', () => {
    it('refuses a malformed id without reading Redis, and an unknown one after exactly one read', async () => {
      let reads = 0;
      const follow = follower(async () => {
        reads += 1;
        return null;
      });
      await expect(follow('not-a-task-id')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(reads).toBe(0);
      await expect(follow(id4)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(reads).toBe(1);
    });
  });

  describe('when the record expires while followed', () => {
    it('ends the stream with NotFoundError', async () => {
      let current: TaskRecord | null = record(id5, 'PROGRESS', 10);
      const stream = await follower(async () => current, 100)(id5);
      const iterator = stream[Symbol.asyncIterator]();
      expect((await iterator.next()).value).toMatchObject({ state: 'PROGRESS', progress: 10 });
      current = null;
      await expect(iterator.next()).rejects.toBeInstanceOf(NotFoundError);
    });
  });
});
