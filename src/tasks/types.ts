// Task vocabulary shared by the producer (API), the workers and the GraphQL layer.
// Names and semantics: ../shared/API.md, "Tasks".
import type {
  AnalyticsInput,
  AnalyticsResult,
  AnalyticsTableInput,
  AnalyticsTableResult,
  SearchInput,
  SearchResult,
} from '../contracts/types.js';

export type TaskKind = 'SEARCH' | 'ANALYTICS' | 'ANALYTICS_TABLE';
export const TASK_KINDS: readonly TaskKind[] = ['SEARCH', 'ANALYTICS', 'ANALYTICS_TABLE'];
export type TaskState = 'PENDING' | 'STARTED' | 'PROGRESS' | 'RETRY' | 'SUCCESS' | 'FAILURE';
export const TERMINAL_STATES: readonly TaskState[] = ['SUCCESS', 'FAILURE'];
export type TicketStatus = 'QUEUED' | 'CACHED' | 'DEDUPLICATED';
export type ResultStatus = 'READY' | 'NOT_READY' | 'NOT_FOUND' | 'FAILED';

/**
 * Payload per kind: the API input in its canonical form (the engine's `toSearchInput(normalizeSearchInput(x))`
 * etc.), so the worker re-validates it with the same engine validation the producer used.
 */
export type TaskPayloads = {
  SEARCH: SearchInput;
  ANALYTICS: AnalyticsInput;
  ANALYTICS_TABLE: AnalyticsTableInput;
};
export type TaskResults = {
  SEARCH: SearchResult;
  ANALYTICS: AnalyticsResult;
  ANALYTICS_TABLE: AnalyticsTableResult;
};
/** Discriminated result as stored in the cache; `kind` lets GraphQL resolve the TaskResultData union. */
export type TaskResultData =
  | { kind: 'SEARCH'; data: SearchResult }
  | { kind: 'ANALYTICS'; data: AnalyticsResult }
  | { kind: 'ANALYTICS_TABLE'; data: AnalyticsTableResult };

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
