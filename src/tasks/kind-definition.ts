// What a task kind is: everything the producer and the worker need to know about one kind,
// with its three types (raw input, normalised input, result) tied together. The list of
// kinds is registry.ts; the GraphQL side of each kind is src/schema/task-kinds.ts.
import type { RunOptions } from '../contracts/types.js';
import type { Db } from '../db/prisma.js';
import type { ExportFilesOptions } from '../exports/types.js';

/**
 * What the worker gives every engine call: the engine's RunOptions, and where exports go
 * (EXPORT_DIR, RESULT_TTL_SECONDS); kinds that write no file ignore `files`.
 */
export type TaskRunOptions = RunOptions & { files: ExportFilesOptions };

/** The types of one kind: its raw (API) input, its normalised input and its result. */
export type KindTypes = { input: unknown; normalized: unknown; result: unknown };

export type TaskKindDefinition<T extends KindTypes> = {
  /**
   * Validates a raw input and applies its defaults; throws ValidationError naming the field
   * relative to the input (`filters.minAmount`). Equal questions give equal normalised
   * forms, which is what the cache key hashes.
   */
  normalize: (raw: T['input']) => T['normalized'];
  /** The canonical raw input of a normalised one, which is what travels in the queue: normalize(canonical(n)) deep-equals n. */
  canonical: (normalized: T['normalized']) => T['input'];
  /**
   * The engine call: runs the question against PostgreSQL, stops when `opts.signal` aborts
   * (CancelledError), reports real steps through `opts.onProgress`, and resolves with the
   * result object stored in the cache.
   */
  run: (db: Db, input: T['input'], opts: TaskRunOptions) => Promise<T['result']>;
};

/** The types a definition was written with, read back from its functions. */
export type KindTypesOf<D> = D extends {
  normalize: (raw: infer I) => infer N;
  run: (db: Db, input: never, opts: TaskRunOptions) => Promise<infer R>;
}
  ? { input: I; normalized: N; result: R }
  : never;

/** Checks one registry entry: its normaliser, canonical form and engine call must agree on their types. */
export function defineTaskKind<I, N, R>(definition: {
  normalize: (raw: I) => N;
  canonical: (normalized: N) => I;
  run: (db: Db, input: I, opts: TaskRunOptions) => Promise<R>;
}): TaskKindDefinition<{ input: I; normalized: N; result: R }> {
  return definition;
}
