// Worker heartbeat: `<prefix>:worker:<id>` (a hash with a TTL) and `<prefix>:workers` (a
// sorted set by last beat), so monitoring can list live workers without scanning keys.
import os from 'node:os';
import type { Redis } from 'ioredis';
import type { TaskKeys } from '../src/tasks/index.js';

export type Heartbeat = { stop(): Promise<void> };

/** Beats every `intervalMs` until stopped; a worker missing 3 beats is considered gone. */
export function startHeartbeat(args: {
  redis: Redis;
  keys: TaskKeys;
  workerId: string;
  concurrency: number;
  running: () => number;
  intervalMs: number;
  onError: (err: unknown) => void;
}): Heartbeat {
  const { redis, keys, workerId, intervalMs } = args;
  const startedAt = new Date().toISOString();
  const ttlMs = intervalMs * 3;
  const beat = async () => {
    const now = Date.now();
    await redis
      .multi()
      .hset(keys.worker(workerId), {
        id: workerId,
        pid: String(process.pid),
        host: os.hostname(),
        concurrency: String(args.concurrency),
        running: String(args.running()),
        startedAt,
        lastHeartbeat: new Date(now).toISOString(),
      })
      .pexpire(keys.worker(workerId), ttlMs)
      .zadd(keys.workers, now, workerId)
      .zremrangebyscore(keys.workers, '-inf', now - ttlMs)
      .exec();
  };
  const safeBeat = () => beat().catch(args.onError);
  void safeBeat();
  const timer = setInterval(safeBeat, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await redis.multi().del(keys.worker(workerId)).zrem(keys.workers, workerId).exec().catch(args.onError);
    },
  };
}
