// The data version submissions use, kept in Redis: read from PostgreSQL only when Redis does
// not know it or a load runs, and never older than the last load that has ended.
import type { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withDataLoadLock } from '../../src/data/lock.js';
import { BUMP_DATA_VERSION_SQL, DATA_LOAD_LOCK_KEY, dataLoadRunning, getDataVersion } from '../../src/db/dataset.js';
import { connectDataVersionNotifier, createDataVersionCache, createDataVersionNotifier } from '../../src/tasks/data-version.js';
import { taskKeys } from '../../src/tasks/keys.js';
import { createTaskStore } from '../../src/tasks/store.js';
import { createTestDatabase, testQueuePrefix, type TestDatabase } from '../helpers/db.js';
import { freePort } from '../helpers/outage.js';
import { createRedis, deletePrefix } from '../helpers/redis.js';

describe('data version cache', () => {
  const prefix = testQueuePrefix('data_version');
  const key = taskKeys(prefix).dataVersion;
  let db: TestDatabase;
  let redis: Redis;
  let sql: pg.Client;
  let reads = 0;

  /** A cache as the producer builds it, counting its PostgreSQL reads of the version. */
  const cache = (ttlMs?: number, readVersion = () => getDataVersion(db.prisma)) =>
    createDataVersionCache({
      redis,
      key,
      readVersion: () => {
        reads += 1;
        return readVersion();
      },
      loadRunning: () => dataLoadRunning(db.prisma),
      ...(ttlMs ? { ttlMs } : {}),
    });
  const bump = async () => {
    await sql.query(BUMP_DATA_VERSION_SQL);
    return getDataVersion(db.prisma);
  };

  beforeAll(async () => {
    db = await createTestDatabase('tasks_data_version');
    redis = createRedis();
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  });
  beforeEach(async () => {
    await redis.del(key);
    reads = 0;
  });
  afterAll(async () => {
    await sql?.end();
    await deletePrefix(redis, prefix);
    await redis?.quit();
    await db?.drop();
  });

  describe('when Redis does not know the version', () => {
    it('reads PostgreSQL once and stores it; from then on the version comes from Redis, checked', async () => {
      const versions = cache();
      const current = await getDataVersion(db.prisma);
      expect(await versions.guess()).toEqual({ version: current, checked: false });
      expect(reads).toBe(1);
      expect(await redis.get(key)).toBe(current);
      expect(await redis.pttl(key)).toBeGreaterThan(0);
      expect(await versions.guess()).toEqual({ version: current, checked: true });
      for (let i = 0; i < 20; i++) expect(await versions.guess()).toEqual({ version: current, checked: true });
      expect(reads).toBe(1);
    });
  });

  describe('when the submit script finds another version in Redis than the guess', () => {
    it('decides nothing and says which; the next guess is that version', async () => {
      const store = createTaskStore(redis, { prefix, resultTtlSeconds: 60 });
      await redis.set(key, '41');
      const args = { kind: 'SEARCH' as const, cacheKey: `search:${'0'.repeat(64)}`, newId: 'version-check', maxQueueDepth: 0 };
      expect(await store.submit({ ...args, dataVersion: '40' })).toEqual({ status: 'VERSION', current: '41' });
      expect(await redis.exists(taskKeys(prefix).task('version-check'))).toBe(0);
      const versions = cache();
      expect(await versions.refuted('41')).toEqual({ version: '41', checked: true });
      expect(await versions.guess()).toEqual({ version: '41', checked: true });
      expect(await store.submit({ ...args, dataVersion: '41' })).toMatchObject({ status: 'QUEUED', task: { id: 'version-check' } });
      await redis.del(key);
      expect(await store.submit({ ...args, newId: 'other', dataVersion: '41' })).toEqual({ status: 'VERSION', current: '' });
      // Nothing in Redis: PostgreSQL's version, unchecked.
      expect(await versions.refuted('')).toEqual({ version: await getDataVersion(db.prisma), checked: false });
      expect(reads).toBe(1);
    });
  });

  describe('when a load runs', () => {
    it('reads PostgreSQL at every call while it runs, and the version it ended with right after, from Redis', async () => {
      const versions = cache();
      const old = (await versions.read()).version;
      expect(await versions.guess()).toEqual({ version: old, checked: true });
      let newer = '';
      await withDataLoadLock(sql, async () => {
        newer = await bump(); // a batch committed during the load
        expect(await versions.read()).toEqual({ version: newer, checked: false });
        expect(await versions.read()).toEqual({ version: newer, checked: false });
        expect(await redis.get(key)).toMatch(/^loading:/);
      }, undefined, createDataVersionNotifier(redis, key));
      expect(reads).toBe(3);
      expect(newer).not.toBe(old);
      expect(await redis.get(key)).toBe(newer);
      expect(await versions.read()).toEqual({ version: newer, checked: true });
      expect(reads).toBe(3);
    });

    it('never stores a version read before the load began over the load\'s marker', async () => {
      const old = await getDataVersion(db.prisma);
      // A submission finds Redis empty and reads PostgreSQL; the read answers only after a
      // whole load has started and committed (the slowest case of the race).
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const slow = cache(undefined, async () => {
        await gate;
        return old;
      });
      const racing = slow.read();
      await expect.poll(() => reads).toBe(1);
      let newer = '';
      await withDataLoadLock(sql, async () => {
        newer = await bump();
        release();
        expect((await racing).version).toBe(old); // it began before the load: either version is right for it
        expect(await redis.get(key)).toMatch(/^loading:/);
        expect((await cache().read()).version).toBe(newer);
      }, undefined, createDataVersionNotifier(redis, key));
      expect(await redis.get(key)).toBe(newer);
      expect(await cache().read()).toEqual({ version: newer, checked: true });
    });
  });

  describe('when the load that set the marker died', () => {
    it('keeps reading PostgreSQL while a load holds the lock, and replaces the marker once none does', async () => {
      const holder = new pg.Client({ connectionString: db.url });
      await holder.connect();
      try {
        await holder.query('SELECT pg_advisory_lock($1)', [DATA_LOAD_LOCK_KEY]);
        await createDataVersionNotifier(redis, key).loadStarting();
        const marker = await redis.get(key);
        const newer = await bump();
        expect(await cache().read()).toEqual({ version: newer, checked: false });
        expect(await redis.get(key)).toBe(marker);
      } finally {
        await holder.end(); // the "load" dies: its session, and so its lock, ends
      }
      const versions = cache();
      const current = await getDataVersion(db.prisma);
      await expect.poll(async () => [(await versions.read()).version, await redis.get(key)], { timeout: 10_000 }).toEqual([current, current]);
    });
  });

  describe('when the version changes without a notifying load (SQL by hand)', () => {
    it('is seen within the TTL', async () => {
      const versions = cache(300);
      const old = (await versions.read()).version;
      const newer = await bump();
      expect(newer).not.toBe(old);
      await expect.poll(async () => (await versions.read()).version, { timeout: 5_000 }).toBe(newer);
    });
  });

  describe('when the load cannot reach Redis', () => {
    it('stops before changing anything', async () => {
      const port = await freePort(); // nothing listens there
      const notifier = connectDataVersionNotifier(`redis://127.0.0.1:${port}`, prefix);
      const before = await getDataVersion(db.prisma);
      let ran = false;
      try {
        await expect(
          withDataLoadLock(sql, async () => {
            ran = true;
            await sql.query(BUMP_DATA_VERSION_SQL);
          }, undefined, notifier),
        ).rejects.toThrow();
      } finally {
        await notifier.close();
      }
      expect(ran).toBe(false);
      expect(await getDataVersion(db.prisma)).toBe(before);
      expect(await dataLoadRunning(db.prisma)).toBe(false); // the lock was released
    });
  });
});
