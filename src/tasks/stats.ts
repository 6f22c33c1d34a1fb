// Per-kind counters kept by the task scripts in `<prefix>:stats`, for monitoring.
// Non-terminal states are gauges (tasks in that state now); SUCCESS/FAILURE, tickets and
// attempts are totals since the prefix was first used.
import { TASK_KINDS, type TaskKind, type TaskState, type TicketStatus } from './types.js';

export type KindCounters = {
  /** Tickets handed out, by status (CACHED and DEDUPLICATED queue nothing). */
  tickets: Record<TicketStatus, number>;
  /** PENDING/STARTED/PROGRESS/RETRY: tasks in that state now; SUCCESS/FAILURE: tasks that ended so. */
  states: Record<TaskState, number>;
  /** Attempts started by workers (each STARTED), crashes included. */
  attempts: number;
};
export type TaskCounters = Record<TaskKind, KindCounters>;

/** Parses the HGETALL of `<prefix>:stats` into counters for every kind (missing = 0). */
export function parseCounters(hash: Record<string, string>): TaskCounters {
  const n = (field: string) => Number(hash[field] ?? 0);
  const out = {} as TaskCounters;
  for (const kind of TASK_KINDS) {
    out[kind] = {
      tickets: { QUEUED: n(`${kind}:ticket:QUEUED`), CACHED: n(`${kind}:ticket:CACHED`), DEDUPLICATED: n(`${kind}:ticket:DEDUPLICATED`) },
      states: {
        PENDING: n(`${kind}:state:PENDING`),
        STARTED: n(`${kind}:state:STARTED`),
        PROGRESS: n(`${kind}:state:PROGRESS`),
        RETRY: n(`${kind}:state:RETRY`),
        SUCCESS: n(`${kind}:state:SUCCESS`),
        FAILURE: n(`${kind}:state:FAILURE`),
      },
      attempts: n(`${kind}:attempts`),
    };
  }
  return out;
}
