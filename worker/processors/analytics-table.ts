// ANALYTICS_TABLE: one page of per-entity aggregates along a dimension.
import { analyticsTable } from '../../src/contracts/index.js';
import type { TaskProcessor } from './index.js';

/** Runs an aggregate table query through the query engine. */
export const analyticsTableProcessor: TaskProcessor<'ANALYTICS_TABLE'> = {
  kind: 'ANALYTICS_TABLE',
  run: (db, input, opts) => analyticsTable(db, input, opts),
};
