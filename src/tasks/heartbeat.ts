// Worker heartbeat: `<prefix>:worker:<id>` (a hash with a TTL) and `<prefix>:workers` (a
// sorted set by last beat), so monitoring (lua/monitor.lua, monitor.ts) can list live
// workers without scanning keys. The hash's fields are written here and read back by
// parseWorkerHash, next to each other.
import os from 'node:os';
import type { Redis } from 'ioredis';
import type { TaskKeys } from './keys.js';

export type WorkerStatus = {
  id: string;
  pid: number;
  host: string;
  concurrency: number;
  running: number;
  lastHeartbeat: string;
  startedAt: string;
};

export type Heartbeat = { stop(): Promise<void> };

/** Beats every `intervalMs` until stopped; a worker missing 3 beats is considered gone (its hash expires). */
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

/** A worker's status from its heartbeat hash (as HGETALL returns it). */
export function parseWorkerHash(h: Record<string, string>): WorkerStatus {
  return {
    id: h.id ?? '',
    pid: Number(h.pid ?? 0),
    host: h.host ?? '',
    concurrency: Number(h.concurrency ?? 0),
    running: Number(h.running ?? 0),
    lastHeartbeat: h.lastHeartbeat ?? '',
    startedAt: h.startedAt ?? h.lastHeartbeat ?? '',
  };
}
