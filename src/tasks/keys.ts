// Every Redis key and channel of one deployment, in one place. All start with the
// deployment's QUEUE_PREFIX so test runs and deployments can share one Redis.
//
//   <p>:task:<taskId>               hash   the task record (see record.ts)
//   <p>:task:progress:<taskId>      channel JSON TaskEvent per change (graphql-yoga Redis event target format)
//   <p>:result:<cacheKey>           string JSON TaskResultData, TTL RESULT_TTL_SECONDS
//   <p>:inflight:<cacheKey>         string id of the task queued or running for that key (deduplication)
//   <p>:last:<cacheKey>             string id of the last task that ended for that key (CACHED / FAILED lookups)
//   <p>:stats                       hash   counters per kind (see stats.ts), and `since` (ISO) when they began
//   <p>:cache                       zset   cacheKey -> expiry (ms) of the results in the cache (queueStats)
//   <p>:saving                      zset   QUEUED task ids whose bee-queue job is being saved (queue depth, submit.lua)
//   <p>:ratelimit:<clientId>        zset   counted submissions of one client in the rate window (submit.lua)
//   <p>:dataversion                 string the data version submissions use, or a running load's marker (data-version.ts)
//   <p>:worker:<workerId>           hash   worker heartbeat, with a TTL
//   <p>:workers                     zset   worker ids by last heartbeat (ms)
//   <p>:bq:tasks:*                  bee-queue's own keys (waiting, active, delayed, jobs, stalling ...)

/** bee-queue queue name; its keys live under `<prefix>:bq:tasks:`. */
export const BEE_QUEUE_NAME = 'tasks';

export type TaskKeys = ReturnType<typeof taskKeys>;

/** Builds the key and channel names of one deployment prefix. */
export function taskKeys(prefix: string) {
  return {
    prefix,
    task: (taskId: string) => `${prefix}:task:${taskId}`,
    /** graphql-yoga pub/sub routing key; the channel of one task is `${progressTopic}:${taskId}`. */
    progressTopic: `${prefix}:task:progress`,
    progressChannel: (taskId: string) => `${prefix}:task:progress:${taskId}`,
    result: (cacheKey: string) => `${prefix}:result:${cacheKey}`,
    inflight: (cacheKey: string) => `${prefix}:inflight:${cacheKey}`,
    last: (cacheKey: string) => `${prefix}:last:${cacheKey}`,
    stats: `${prefix}:stats`,
    /** Index of the cached results (cacheKey -> expiry ms), kept by finish.lua, pruned on read. */
    cacheIndex: `${prefix}:cache`,
    /** Tasks whose job the producer is saving: part of the queue depth until saved. */
    saving: `${prefix}:saving`,
    rateLimit: (clientId: string) => `${prefix}:ratelimit:${clientId}`,
    /** The data version for cache keys, kept by data loads (data-version.ts). */
    dataVersion: `${prefix}:dataversion`,
    worker: (workerId: string) => `${prefix}:worker:${workerId}`,
    workers: `${prefix}:workers`,
    /** bee-queue's `prefix` setting (it appends `:<queue name>:`). */
    beePrefix: `${prefix}:bq`,
    /** bee-queue's job hash, read by the submit script to detect tasks that were never queued. */
    beeJobs: `${prefix}:bq:${BEE_QUEUE_NAME}:jobs`,
    /** Prefix of bee-queue's keys of our queue (`waiting`, `delayed`, `jobs` ... follow it). */
    beeQueue: `${prefix}:bq:${BEE_QUEUE_NAME}:`,
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
