// SEARCH: one page of matching contracts (the engine counts, then fetches the page).
import { searchContracts } from '../../src/contracts/index.js';
import type { TaskProcessor } from './index.js';

/** Runs a contract search through the query engine. */
export const searchProcessor: TaskProcessor<'SEARCH'> = {
  kind: 'SEARCH',
  run: (db, input, opts) => searchContracts(db, input, opts),
};
