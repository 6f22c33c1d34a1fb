// What operators watch (queueStats, the queue depth gauge): task counts per kind, live
// workers, the result cache and the age of the oldest waiting task. Everything comes from
// one Lua script (lua/monitor.lua) whose cost does not grow with the keyspace, so it can
// be polled every second.
import { parseWorkerHash, type WorkerStatus } from './heartbeat.js';
import { parseCounters, type TaskCounters } from './stats.js';
import { TASK_KINDS, type TaskKind, type TicketStatus } from './types.js';

export type KindQueueStats = {
  kind: TaskKind;
  /** Tasks queued and not started yet (PENDING). */
  waiting: number;
  /** Tasks a worker is running now (STARTED + PROGRESS). */
  running: number;
  /** Tasks between two attempts (RETRY). */
  retrying: number;
  /** Tasks that ended in SUCCESS since the counters began. */
  succeeded: number;
  /** Tasks that ended in FAILURE since the counters began. */
  failed: number;
  /** Attempts started by workers since the counters began (retries and crashed attempts included). */
  attempts: number;
  /** Tickets handed out since the counters began, by status. */
  tickets: Record<TicketStatus, number>;
};

export type CacheStats = {
  /** Results in the cache now. */
  entries: number;
  /** Tickets answered from the cache (CACHED). */
  hits: number;
  /** Tickets that needed a computation: QUEUED (new task) + DEDUPLICATED (joined a running one). */
  misses: number;
  /** hits / (hits + misses); null before the first ticket. */
  hitRatio: number | null;
};

export type { WorkerStatus };

export type QueueStats = {
  /** When the snapshot was taken (Redis clock), ISO 8601. */
  at: string;
  /** When the counters began (the first submission under this QUEUE_PREFIX); null before it. */
  since: string | null;
  kinds: KindQueueStats[];
  workers: WorkerStatus[];
  cache: CacheStats;
  /** Jobs in bee-queue's waiting list, retries waiting for their backoff and tasks being queued: what MAX_QUEUE_DEPTH bounds. */
  queueDepth: number;
  /** MAX_QUEUE_DEPTH; null when unlimited. */
  maxQueueDepth: number | null;
  /** Seconds since the task at the head of the waiting list was submitted; null when none waits. */
  oldestWaitingAgeSeconds: number | null;
};

type MonitorReply = [string, string, string[], string, string, string, string[][]];

function hash(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}

/** Per-kind task counts of the counters. */
export function kindStats(counters: TaskCounters): KindQueueStats[] {
  return TASK_KINDS.map((kind) => {
    const c = counters[kind];
    return {
      kind,
      waiting: c.states.PENDING,
      running: c.states.STARTED + c.states.PROGRESS,
      retrying: c.states.RETRY,
      succeeded: c.states.SUCCESS,
      failed: c.states.FAILURE,
      attempts: c.attempts,
      tickets: { ...c.tickets },
    };
  });
}

/** Queue depth samples (waiting / running / retrying per kind) for the Prometheus gauge. */
export function queueDepthSamples(counters: TaskCounters): { kind: string; state: string; count: number }[] {
  return kindStats(counters).flatMap((k) => [
    { kind: k.kind, state: 'waiting', count: k.waiting },
    { kind: k.kind, state: 'running', count: k.running },
    { kind: k.kind, state: 'retrying', count: k.retrying },
  ]);
}

/** Builds QueueStats from the monitor script's reply; `maxQueueDepth` 0 means unlimited. */
export function parseQueueStats(reply: unknown, maxQueueDepth: number): QueueStats {
  const [nowMs, entries, statsFlat, waiting, delayed, oldestMs, workerHashes] = reply as MonitorReply;
  const now = Number(nowMs);
  const statsHash = hash(statsFlat);
  const kinds = kindStats(parseCounters(statsHash));
  const sum = (f: (k: KindQueueStats) => number) => kinds.reduce((n, k) => n + f(k), 0);
  const hits = sum((k) => k.tickets.CACHED);
  const misses = sum((k) => k.tickets.QUEUED + k.tickets.DEDUPLICATED);
  const workers = workerHashes
    .map((flat) => parseWorkerHash(hash(flat)))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    at: new Date(now).toISOString(),
    since: statsHash.since || null,
    kinds,
    workers,
    cache: { entries: Number(entries), hits, misses, hitRatio: hits + misses > 0 ? hits / (hits + misses) : null },
    queueDepth: Number(waiting) + Number(delayed),
    maxQueueDepth: maxQueueDepth > 0 ? maxQueueDepth : null,
    // Clamped at 0: createdMs is the producer's clock, `now` Redis's.
    oldestWaitingAgeSeconds: oldestMs ? Math.max(0, (now - Number(oldestMs)) / 1000) : null,
  };
}
