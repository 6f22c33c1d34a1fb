// The bee-queue internals src/tasks/bee.ts relies on, checked against a real Redis, so that
// a bee-queue upgrade that moves or changes any of them fails here rather than in
// production: its private script loader, its command connection, the key names our Lua
// scripts read, and the retry counter of a job.
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  beeClient,
  beeKeys,
  beeScripts,
  createBeeQueue,
  giveUpJob,
  refundRetry,
  reloadBeeScripts,
  retriesLeft,
  type TaskBeeQueue,
  type TaskJob,
} from '../../src/tasks/bee.js';
import { beePrefixOf } from '../../src/tasks/keys.js';
import { testQueuePrefix, TEST_REDIS_URL } from '../helpers/db.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/outage.js';
import { createRedis, deletePrefix } from '../helpers/redis.js';

const redis = createRedis();
const queues: TaskBeeQueue[] = [];
let prefix: string;

/** A queue of this test's prefix, closed after the test. */
async function queue(opts: { worker?: boolean; redisUrl?: string } = {}): Promise<TaskBeeQueue> {
  const q = createBeeQueue({
    redisUrl: opts.redisUrl ?? TEST_REDIS_URL,
    prefix,
    ...(opts.worker ? { worker: { stallIntervalMs: 60_000 } } : {}),
  });
  queues.push(q);
  await q.ready();
  return q;
}

async function save(q: TaskBeeQueue, id: string, retries: number, delayUntil?: number): Promise<void> {
  let job = q.createJob({ kind: 'SEARCH', input: { id } }).setId(id).retries(retries);
  if (delayUntil) job = job.delayUntil(delayUntil);
  await job.save();
}

// What bee-queue does with a job after an attempt ('failed:fatal' is the final failure;
// its 'failed' event also fires for each retry).
const OUTCOMES = ['retrying', 'failed:fatal', 'succeeded'] as const;

type Outcome = (typeof OUTCOMES)[number];

/** Calls `fn` with each outcome of an attempt of the worker queue `q` (bee-queue's typings lack 'failed:fatal'). */
function onOutcome(q: TaskBeeQueue, fn: (status: Outcome, job: TaskJob) => void): void {
  for (const status of OUTCOMES) (q as unknown as NodeJS.EventEmitter).on(status, (job: TaskJob) => fn(status, job));
}

/** Resolves with what bee-queue did with job `jobId` after its first attempt. */
function outcomeOf(q: TaskBeeQueue, jobId: string): Promise<Outcome> {
  return new Promise((resolve) => onOutcome(q, (status, job) => job.id === jobId && resolve(status)));
}

beforeAll(() => {
  prefix = testQueuePrefix('bee');
});
afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.close()));
  await deletePrefix(redis, prefix);
});
afterAll(async () => {
  await redis.quit();
});

describe('bee-queue internals', () => {
  describe('its private script loader', () => {
    let privateRedis: PrivateRedis;
    beforeAll(async () => {
      privateRedis = await startPrivateRedis();
    });
    afterAll(async () => privateRedis?.stop());

    it('is bee-queue/lib/lua, exporting buildCache and the sha of every script', () => {
      const lua = createRequire(import.meta.url)('bee-queue/lib/lua') as Record<string, unknown>;
      expect(typeof lua.buildCache).toBe('function');
      expect(beeScripts()).toBe(lua);
    });

    it('reloads every bee-queue script into a Redis whose script cache was flushed', async () => {
      const q = await queue({ redisUrl: privateRedis.url });
      const admin = createRedis(privateRedis.url);
      try {
        const shas = Object.values(beeScripts().shas);
        expect(shas.length).toBeGreaterThanOrEqual(5); // addJob, addDelayedJob, checkStalledJobs, raiseDelayedJobs, removeJob
        await admin.script('FLUSH');
        expect(await admin.script('EXISTS', ...shas)).toEqual(shas.map(() => 0));
        await reloadBeeScripts(q);
        expect(await admin.script('EXISTS', ...shas)).toEqual(shas.map(() => 1));
      } finally {
        admin.disconnect();
      }
    });
  });

  describe('its command connection', () => {
    it('is queue.client once the queue is ready, and reports reconnects with "ready"', async () => {
      const q = await queue();
      const client = beeClient(q);
      expect(client).toBe((q as unknown as { client: unknown }).client);
      expect(typeof client.on).toBe('function');
      // node_redis emits 'ready' after every (re)connect: what createBeeQueue listens to.
      const ready = new Promise<void>((resolve) => client.on('ready', resolve));
      (client as unknown as { stream: { destroy(): void } }).stream.destroy();
      await ready;
    });
  });

  describe('its Redis keys', () => {
    it('are the ones beeKeys names: the job hash, the waiting list and the delayed set', async () => {
      const q = await queue();
      const keys = beeKeys(prefix);
      await save(q, 'now-1', 0);
      await save(q, 'later-1', 0, Date.now() + 3_600_000);
      expect(await redis.hkeys(keys.jobs)).toEqual(expect.arrayContaining(['now-1', 'later-1']));
      expect(await redis.lrange(keys.waiting, 0, -1)).toEqual(['now-1']);
      expect(await redis.zrange(keys.delayed, 0, -1)).toEqual(['later-1']);
      // Nothing else: a key bee-queue renames would show up here.
      const written = await redis.keys(`${beePrefixOf(prefix)}:*`);
      expect(written.sort()).toEqual([keys.delayed, keys.jobs, keys.waiting].sort());
    });

    it('keep new jobs on the left of the waiting list (monitor.lua reads the oldest on the right)', async () => {
      const q = await queue();
      for (const id of ['first', 'second', 'third']) await save(q, id, 0);
      expect(await redis.lindex(beeKeys(prefix).waiting, -1)).toBe('first');
    });
  });

  describe("a job's retry counter", () => {
    it('is the retries set on the job, one less on each retry', async () => {
      const producer = await queue();
      await save(producer, 'counted', 2);
      const worker = await queue({ worker: true });
      const seen: number[] = [];
      const ended = outcomeOf(worker, 'counted');
      worker.process(1, async (job: TaskJob) => {
        seen.push(retriesLeft(job));
        throw new Error('fails every time');
      });
      await expect(ended).resolves.toBe('retrying');
      await expect.poll(() => seen, { timeout: 20_000 }).toEqual([2, 1, 0]);
    });

    it('set to none by giveUpJob: the job fails at once although retries were left', async () => {
      const producer = await queue();
      await save(producer, 'given-up', 3);
      const worker = await queue({ worker: true });
      const ended = outcomeOf(worker, 'given-up');
      let attempts = 0;
      worker.process(1, async (job: TaskJob) => {
        attempts += 1;
        giveUpJob(job);
        throw new Error('cannot be fixed by retrying');
      });
      await expect(ended).resolves.toBe('failed:fatal');
      expect(attempts).toBe(1);
      const keys = beeKeys(prefix);
      expect(await redis.hexists(keys.jobs, 'given-up')).toBe(0); // removeOnFailure
      expect(await redis.zcard(keys.delayed)).toBe(0);
      expect(await redis.llen(keys.waiting)).toBe(0);
    });

    it('raised by refundRetry: a job with no retries left is retried once more', async () => {
      const producer = await queue();
      await save(producer, 'refunded', 0);
      const worker = await queue({ worker: true });
      const outcomes: string[] = [];
      onOutcome(worker, (status) => outcomes.push(status));
      let attempts = 0;
      worker.process(1, async (job: TaskJob) => {
        attempts += 1;
        if (attempts === 1) {
          refundRetry(job);
          expect(retriesLeft(job)).toBe(1);
          throw new Error('interrupted by a shutdown');
        }
        expect(retriesLeft(job)).toBe(0);
        return 'done';
      });
      await expect.poll(() => outcomes, { timeout: 20_000 }).toEqual(['retrying', 'succeeded']);
      expect(attempts).toBe(2);
    });
  });
});
