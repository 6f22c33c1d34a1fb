// The GraphQL schema: importing each area's file registers its types on the builder.
import { builder } from './builder.js';
import './scalars.js';
import './enums.js';
import './filters.js';
import './contract.js';
import './analytics.js';
import './filter-options.js';
import './dataset.js';
import './export.js';
import './task-kinds.js';
import './task.js';
import './submit.js';
import './task-progress.js';
import './queue-stats.js';

export type { Context, QueryEngine, TaskQueueApi, FollowTask } from './context.js';

/** The executable schema of ../shared/API.md. */
export const schema = builder.toSchema();
