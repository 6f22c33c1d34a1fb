// What every resolver receives. Built per operation by src/app.ts (HTTP, SSE and
// graphql-ws alike), so resolvers never read config or globals.
import type { Logger } from '../logger.js';
import type { Db } from '../db/prisma.js';
import type { TaskQueue } from '../tasks/index.js';
import type { TaskEvent } from '../tasks/types.js';
import type {
  AnalyticsInput,
  AnalyticsResult,
  AnalyticsTableInput,
  AnalyticsTableResult,
  FilterOption,
  FilterOptionsInput,
  RunOptions,
  SearchInput,
  SearchResult,
} from '../contracts/types.js';

/**
 * The query engine (src/contracts/index.ts) as the schema calls it. The composition root
 * (src/app.ts) passes the real module; the schema itself stays importable, and printable,
 * without a database.
 */
export interface QueryEngine {
  searchContracts(db: Db, input: SearchInput, opts?: RunOptions): Promise<SearchResult>;
  contractAnalytics(db: Db, input: AnalyticsInput, opts?: RunOptions): Promise<AnalyticsResult>;
  analyticsTable(db: Db, input: AnalyticsTableInput, opts?: RunOptions): Promise<AnalyticsTableResult>;
  filterOptions(db: Db, input: FilterOptionsInput): Promise<FilterOption[]>;
}

/** The slice of the task queue (src/tasks) the schema uses. */
export type TaskQueueApi = Pick<TaskQueue, 'submit' | 'getTask' | 'findTask' | 'getResult' | 'stats' | 'progressTopic'>;

/** Follows one task's progress: the current state first, then every newer event; see task-follow.ts. */
export type FollowTask = (taskId: string) => Promise<AsyncIterable<TaskEvent>>;

export type Context = {
  db: Db;
  engine: QueryEngine;
  tasks: TaskQueueApi;
  followTask: FollowTask;
  /** Who is calling (client IP), for per-client limits; never used for authorisation. */
  clientId: string;
  logger: Logger;
};
