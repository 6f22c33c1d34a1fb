// The data version that submissions put in their cache keys, kept in Redis so that a
// submission (a CACHED answer above all) does not touch PostgreSQL, which stays the truth
// (dataset_state.version, src/db/dataset.ts).
//
// <prefix>:dataversion holds one of:
//   "<n>"           the current version; it expires after `ttlMs` (VERSION_TTL_MS);
//   "loading:<id>"  a data load (import, seed) is running; set before it changes anything, no TTL;
//   nothing         not known (expired, never set, deleted).
// A submission computes its cache key with the version this process last found in Redis and
// passes that version to the submit script, which decides nothing unless the key still holds
// it (one round trip, Redis only: the common case). Otherwise, or with no such version yet, it
// reads the key (one GET) and:
//   "<n>"           retries with n, checked by the script the same way;
//   nothing         uses PostgreSQL's version, unchecked, and stores it with SET NX (never over
//                   a load's marker);
//   "loading:<id>"  uses PostgreSQL's version, unchecked, as every submission did before this
//                   cache. A marker whose load died (no load holds the data-load lock) is replaced
//                   by PostgreSQL's version, compare-and-set on the marker, at most once a second.
// A version read from PostgreSQL at submission time is never stale: every commit is in it.
//
// Why no submission that starts after a load has returned uses a version older than the load's:
//  1. The load writes its marker before it changes anything (if Redis does not answer, it stops
//     before changing anything), and "<n>" only after its last commit, with n read after it.
//     So from the load's start until its "<n>" expires, the key is never empty.
//  2. A submission that uses a version from Redis has the script check, atomically with its
//     decision, that the key holds exactly that version; so after the load it uses n.
//  3. While the marker is there, every submission reads PostgreSQL, which has every commit.
//  4. A fill (SET NX) of a version read before the load committed could only land once the key
//     is empty again, i.e. `ttlMs` after the load ended; a fill is written only when less than
//     ttlMs / 2 passed since the GET that found the key empty, so it never lands that late.
//  5. A marker is replaced by the compare-and-set only when no load holds the lock (so every
//     commit of that load is visible to the read that follows), and only if it is still the same
//     marker: a load that started meanwhile wrote its own (each load's id is new).
// A version bumped by anything that does not notify (SQL by hand, a load run programmatically
// without a notifier, or under another QUEUE_PREFIX) is seen when "<n>" expires: within ttlMs.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { DataVersionNotifier } from '../db/dataset.js';
import { taskKeys } from './keys.js';

/** How long a version read from Redis is trusted without a load saying so: the bound on loads that do not notify. */
export const VERSION_TTL_MS = 5_000;
// How often one process may check whether the load behind a "loading" marker died.
const DEAD_LOAD_CHECK_MS = 1_000;
const LOADING = 'loading:';
const NUMBER = /^\d+$/;

// Compare-and-set: KEYS[1] becomes ARGV[2] (PX ARGV[3]) only if it still holds ARGV[1].
const REPLACE_MARKER = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return false`;

export type DataVersionCacheOptions = {
  redis: Redis;
  /** taskKeys(prefix).dataVersion */
  key: string;
  /** PostgreSQL's version (getDataVersion). */
  readVersion: () => Promise<string>;
  /** Whether a data load holds the data-load lock now (dataLoadRunning). */
  loadRunning: () => Promise<boolean>;
  ttlMs?: number;
};

/** A version to compute a cache key with; `checked`: it came from Redis, and the submit script must find it there still. */
export type DataVersion = { version: string; checked: boolean };

export type DataVersionCache = {
  /** The version to try first: the one last found in Redis (no round trip), else what read() finds. */
  guess(): Promise<DataVersion>;
  /** The version to try after the submit script found `current` in Redis instead of the guess. */
  refuted(current: string): Promise<DataVersion>;
  /** The key's version, or PostgreSQL's (unchecked) while it holds none or a load runs. */
  read(): Promise<DataVersion>;
  /** PostgreSQL's version, unchecked (never stale: every commit is in it). */
  fromDatabase(): Promise<DataVersion>;
};

/** The producer's side: the version a submission uses (see the top of this file for why it is never stale). */
export function createDataVersionCache(opts: DataVersionCacheOptions): DataVersionCache {
  const { redis, key } = opts;
  const ttlMs = opts.ttlMs ?? VERSION_TTL_MS;
  let lastDeadLoadCheck = 0;
  /** The version this process last found in Redis. */
  let known: string | null = null;

  async function replaceDeadMarker(marker: string): Promise<void> {
    if (Date.now() - lastDeadLoadCheck < DEAD_LOAD_CHECK_MS) return;
    lastDeadLoadCheck = Date.now();
    if (await opts.loadRunning()) return;
    // Read after the lock was seen free: every commit of the dead load is in it.
    const version = await opts.readVersion();
    await redis.eval(REPLACE_MARKER, 1, key, marker, version, ttlMs);
  }

  async function read(): Promise<DataVersion> {
    const asked = performance.now();
    const cached = await redis.get(key);
    if (cached !== null && NUMBER.test(cached)) {
      known = cached;
      return { version: cached, checked: true };
    }
    known = null;
    const version = await opts.readVersion();
    if (cached === null) {
      // Best effort: a failed fill only means the next submission reads PostgreSQL too.
      if (performance.now() - asked < ttlMs / 2) await redis.set(key, version, 'PX', ttlMs, 'NX').catch(() => {});
    } else if (cached.startsWith(LOADING)) {
      await replaceDeadMarker(cached).catch(() => {});
    }
    return { version, checked: false };
  }

  return {
    guess: () => (known === null ? read() : Promise.resolve({ version: known, checked: true })),
    refuted(current) {
      if (NUMBER.test(current)) {
        known = current;
        return Promise.resolve({ version: current, checked: true });
      }
      return read();
    },
    read,
    fromDatabase: async () => ({ version: await opts.readVersion(), checked: false }),
  };
}

/** The loads' side: the notifier an import or seed gives withDataLoadLock (src/data/lock.ts). */
export function createDataVersionNotifier(redis: Redis, key: string, ttlMs = VERSION_TTL_MS): DataVersionNotifier {
  return {
    async loadStarting() {
      await redis.set(key, `${LOADING}${randomUUID()}`);
    },
    async loadEnded(version) {
      // If this fails the marker stays: submissions read PostgreSQL until the API finds the lock free.
      await redis.set(key, version, 'PX', ttlMs).catch(() => {});
    },
  };
}

/**
 * The notifier of one deployment (REDIS_URL, QUEUE_PREFIX) on a connection of its own, for
 * the import and seed commands; close() releases the connection. A Redis that does not
 * answer makes loadStarting throw within a few seconds, so the load changes nothing.
 */
export function connectDataVersionNotifier(redisUrl: string, prefix: string): DataVersionNotifier & { close(): Promise<void> } {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  redis.on('error', () => {}); // failures reject the calls that hit them
  const notifier = createDataVersionNotifier(redis, taskKeys(prefix).dataVersion);
  return {
    ...notifier,
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
