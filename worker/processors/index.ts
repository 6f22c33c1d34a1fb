// One processor per task kind: the query-engine call that does the work. The worker
// re-validates the payload before calling it (src/tasks/kinds.ts parsePayload).
import type { RunOptions } from '../../src/contracts/types.js';
import type { Db } from '../../src/db/prisma.js';
import type { TaskKind, TaskPayloads, TaskResults } from '../../src/tasks/index.js';
import { analyticsProcessor } from './analytics.js';
import { analyticsTableProcessor } from './analytics-table.js';
import { searchProcessor } from './search.js';

export type TaskProcessor<K extends TaskKind> = {
  kind: K;
  /** Runs the question; honours `opts.signal` (cancels the SQL) and reports real steps via `opts.onProgress`. */
  run(db: Db, input: TaskPayloads[K], opts: RunOptions): Promise<TaskResults[K]>;
};
export type ProcessorMap = { [K in TaskKind]: TaskProcessor<K> };

/** The processors of the three task kinds. */
export const PROCESSORS: ProcessorMap = {
  SEARCH: searchProcessor,
  ANALYTICS: analyticsProcessor,
  ANALYTICS_TABLE: analyticsTableProcessor,
};
