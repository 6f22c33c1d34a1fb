// The task record as stored in Redis (a hash of strings, '' for null) and its API shapes.
import type { TaskEvent, TaskKind, TaskRecord, TaskState } from './types.js';

const STATES: readonly TaskState[] = ['PENDING', 'STARTED', 'PROGRESS', 'RETRY', 'SUCCESS', 'FAILURE'];

/** Reads a record from HGETALL's object or a flat [field, value, ...] list; null when empty. */
export function parseRecord(raw: Record<string, string> | string[] | null | undefined): TaskRecord | null {
  if (!raw) return null;
  const h: Record<string, string> = Array.isArray(raw) ? pairs(raw) : raw;
  if (!h.id || !h.state) return null;
  if (!STATES.includes(h.state as TaskState)) throw new Error(`Task ${h.id} has an unknown state "${h.state}"`);
  return {
    id: h.id,
    kind: h.kind as TaskKind,
    state: h.state as TaskState,
    progress: Number(h.progress ?? 0),
    status: h.status ?? '',
    cacheKey: h.cacheKey ?? '',
    error: h.error ? h.error : null,
    attempts: Number(h.attempts ?? 0),
    createdAt: h.createdAt ?? '',
    startedAt: h.startedAt ? h.startedAt : null,
    finishedAt: h.finishedAt ? h.finishedAt : null,
  };
}

/** The subscription message that describes a record's current state. */
export function eventOf(record: TaskRecord): TaskEvent {
  return {
    taskId: record.id,
    state: record.state,
    progress: record.progress,
    status: record.status,
    cacheKey: record.cacheKey,
    error: record.error,
  };
}

function pairs(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
}
