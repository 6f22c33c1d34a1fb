// Task vocabulary shared by the producer (API), the workers and the GraphQL layer.
// Names and semantics: ../shared/API.md, "Tasks".
import { TASK_KINDS, type TaskKind, type TaskKindTypes } from './registry.js';

export { TASK_KINDS, type TaskKind };
export type TaskState = 'PENDING' | 'STARTED' | 'PROGRESS' | 'RETRY' | 'SUCCESS' | 'FAILURE';
export const TERMINAL_STATES: readonly TaskState[] = ['SUCCESS', 'FAILURE'];
export type TicketStatus = 'QUEUED' | 'CACHED' | 'DEDUPLICATED';
export type ResultStatus = 'READY' | 'NOT_READY' | 'NOT_FOUND' | 'FAILED';

/**
 * Payload per kind: the API input in its canonical form (the registry's `canonical(normalize(x))`),
 * so the worker re-validates it with the same engine validation the producer used.
 */
export type TaskPayloads = { [K in TaskKind]: TaskKindTypes[K]['input'] };
export type TaskResults = { [K in TaskKind]: TaskKindTypes[K]['result'] };
/** The cached result of a task of kind K (of any kind by default); `kind` lets GraphQL resolve the TaskResultData union. */
export type TaskResultOf<K extends TaskKind = TaskKind> = { [P in K]: { kind: P; data: TaskKindTypes[P]['result'] } }[K];
/** Discriminated result as stored in the cache. */
export type TaskResultData = TaskResultOf;

/** The task record kept in Redis (API.md `Task`). Timestamps are ISO 8601 UTC strings. */
export type TaskRecord = {
  id: string;
  kind: TaskKind;
  state: TaskState;
  progress: number;
  status: string;
  cacheKey: string;
  error: string | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

/** One message of the taskProgress subscription (API.md `TaskEvent`). */
export type TaskEvent = {
  taskId: string;
  state: TaskState;
  progress: number;
  status: string;
  cacheKey: string;
  error: string | null;
};

export type TaskTicket = {
  status: TicketStatus;
  taskId: string;
  cacheKey: string;
  message: string;
  task: TaskRecord;
};

export type TaskResultLookup = { status: ResultStatus; message: string; result: TaskResultData | null };
