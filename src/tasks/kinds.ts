// What the producer and the worker do with a kind, written once for every kind of the
// registry. Both sides use the same engine validation: the producer before queueing (a bad
// input is a BAD_USER_INPUT error and nothing is queued), the worker again before running
// (a bad payload from another producer version fails the task at once instead of being retried).
import type { Db } from '../db/prisma.js';
import type { TaskRunOptions } from './kind-definition.js';
import { TASK_REGISTRY, type TaskKind, type TaskKindTypes } from './registry.js';
import type { TaskPayloads, TaskResultOf } from './types.js';

/** True when `kind` is one of the registry's kinds. */
export function isTaskKind(kind: unknown): kind is TaskKind {
  return typeof kind === 'string' && Object.hasOwn(TASK_REGISTRY, kind);
}

/** A validated question: its normalised form (what the cache key hashes) and its payload (what is queued). */
export type PreparedTask<K extends TaskKind> = { normalized: TaskKindTypes[K]['normalized']; payload: TaskKindTypes[K]['input'] };

/** Validates and normalises a raw input of `kind`; throws ValidationError naming the field. */
export function prepareTask<K extends TaskKind>(kind: K, raw: TaskPayloads[K]): PreparedTask<K> {
  const definition = TASK_REGISTRY[kind];
  const normalized = definition.normalize(raw);
  return { normalized, payload: definition.canonical(normalized) };
}

/**
 * Re-validates a payload taken from the queue: returns its canonical input, or throws
 * (ValidationError for a bad input, TypeError for a payload that is not even shaped like one).
 */
export function parsePayload<K extends TaskKind>(kind: K, payload: unknown): TaskKindTypes[K]['input'] {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new TypeError('the task input is not an object');
  }
  // The engine's normaliser checks every field of the object it is given, whatever its static type.
  return prepareTask(kind, payload as TaskPayloads[K]).payload;
}

/** Runs `kind`'s engine call on a canonical payload; resolves with the result as the cache stores it. */
export async function runTaskKind<K extends TaskKind>(kind: K, db: Db, payload: TaskKindTypes[K]['input'], opts: TaskRunOptions): Promise<TaskResultOf<K>> {
  const data = await TASK_REGISTRY[kind].run(db, payload, opts);
  return { kind, data };
}
