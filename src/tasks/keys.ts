// Every Redis key and channel of one deployment, in one place. All start with the
// deployment's QUEUE_PREFIX so test runs and deployments can share one Redis.
//
//   <p>:task:<taskId>               hash   the task record (see record.ts)
//   <p>:task:progress:<taskId>      channel JSON TaskEvent per change (graphql-yoga Redis event target format)
//   <p>:result:<cacheKey>           string JSON TaskResultData, TTL RESULT_TTL_SECONDS
//   <p>:inflight:<cacheKey>         string id of the task queued or running for that key (deduplication)
//   <p>:last:<cacheKey>             string id of the last task that ended for that key (CACHED / FAILED lookups)
//   <p>:epoch                       string Unix ms when the store started holding tasks (SET NX by submit.lua; see absence.ts)
//   <p>:stats                       hash   counters per kind (see stats.ts), and `since` (ISO) when they began
//   <p>:cache                       zset   cacheKey -> expiry (ms) of the results in the cache (queueStats)
//   <p>:saving                      zset   QUEUED task ids whose bee-queue job is being saved (queue depth, submit.lua)
//   <p>:ratelimit:<clientId>        zset   counted submissions of one client in the rate window (submit.lua)
//   <p>:dataversion                 string the data version submissions use, or a running load's marker (data-version.ts)
//   <p>:oprate:<clientId>           string GraphQL operations of one client in the current window (src/server/operation-rate-limit.ts)
//   <p>:worker:<workerId>           hash   worker heartbeat, with a TTL (heartbeat.ts)
//   <p>:workers                     zset   worker ids by last heartbeat (ms)
//   <p>:bq:tasks:*                  bee-queue's own keys (waiting, active, delayed, jobs, stalling ...; bee.ts names them)
//
// Keys in the Lua scripts (lua/*.lua, run by scripts.ts): every key a script touches reaches
// it in KEYS, never rebuilt inside the script. A key whose name the caller knows is passed
// whole. Some keys can only be known inside the script, because their name holds data the
// script reads atomically with the rest: the record of the task id found under an in-flight
// or `last` key, the in-flight / last / result keys of the cache key found in a record, the
// record of the job at the head of bee-queue's waiting list, the hash of each worker listed
// in `<p>:workers`. Reading that data first and calling the script second would lose the
// atomicity the scripts exist for, so for those the script gets the key family's prefix
// (`families` below, e.g. `<p>:task:`) as a KEYS entry and appends the id, as BullMQ's
// scripts do with their job keys. Redis Cluster routes a script by its KEYS and requires
// every key it touches to be in the same hash slot, so on a cluster QUEUE_PREFIX would need
// a hash tag (e.g. `{kontrata}`), which also keeps the family members in that slot.
// Kontrata runs on a single Redis today (bee-queue's own scripts were not checked against
// a cluster). Progress channels are not keys: scripts get the channel prefix as an argument.

/** bee-queue's `prefix` setting under a deployment prefix (bee-queue appends `:<queue name>:`). */
export function beePrefixOf(prefix: string): string {
  return `${prefix}:bq`;
}

export type TaskKeys = ReturnType<typeof taskKeys>;

/** Builds the key and channel names of one deployment prefix. */
export function taskKeys(prefix: string) {
  /** Key families: a member's key is the family prefix followed by its id (task id, cache key, worker id ...). */
  const families = {
    task: `${prefix}:task:`,
    result: `${prefix}:result:`,
    inflight: `${prefix}:inflight:`,
    last: `${prefix}:last:`,
    rateLimit: `${prefix}:ratelimit:`,
    worker: `${prefix}:worker:`,
  };
  /** graphql-yoga pub/sub routing key; the channel of one task is `${progressTopic}:${taskId}`. */
  const progressTopic = `${prefix}:task:progress`;
  return {
    prefix,
    families,
    task: (taskId: string) => families.task + taskId,
    progressTopic,
    /** Prefix of the progress channels: a task's channel is this followed by its id. */
    progressChannels: `${progressTopic}:`,
    progressChannel: (taskId: string) => `${progressTopic}:${taskId}`,
    result: (cacheKey: string) => families.result + cacheKey,
    inflight: (cacheKey: string) => families.inflight + cacheKey,
    last: (cacheKey: string) => families.last + cacheKey,
    stats: `${prefix}:stats`,
    /** When this store started holding tasks (ms); absent or newer than a task id = the store lost that task. */
    epoch: `${prefix}:epoch`,
    /** Index of the cached results (cacheKey -> expiry ms), kept by finish.lua, pruned on read. */
    cacheIndex: `${prefix}:cache`,
    /** Tasks whose job the producer is saving: part of the queue depth until saved. */
    saving: `${prefix}:saving`,
    rateLimit: (clientId: string) => families.rateLimit + clientId,
    /** The data version for cache keys, kept by data loads (data-version.ts). */
    dataVersion: `${prefix}:dataversion`,
    operationRate: (clientId: string) => `${prefix}:oprate:${clientId}`,
    worker: (workerId: string) => families.worker + workerId,
    workers: `${prefix}:workers`,
  };
}

/** Deletes every key of one deployment prefix, in batches (SCAN, never FLUSHDB): for tests, benchmarks and resets. */
export async function deletePrefixKeys(redis: import('ioredis').Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
