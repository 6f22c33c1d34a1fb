// ANALYTICS: summary, time series and top-N charts of the matching contracts.
import { contractAnalytics } from '../../src/contracts/index.js';
import type { TaskProcessor } from './index.js';

/** Runs the analytics dashboard query through the query engine. */
export const analyticsProcessor: TaskProcessor<'ANALYTICS'> = {
  kind: 'ANALYTICS',
  run: (db, input, opts) => contractAnalytics(db, input, opts),
};
