// The taskProgress subscription. The stream itself (subscribe first, read the record,
// skip stale events, complete after a final state) is ctx.followTask: see
// src/server/task-follow.ts.
import type { TaskEvent } from '../tasks/types.js';
import { builder } from './builder.js';
import { TaskEventRef } from './task.js';

builder.subscriptionField('taskProgress', (t) =>
  t.field({
    type: TaskEventRef,
    description:
      'Streams a task\'s progress: its current state first (so a late subscriber still learns the outcome), then every change; ' +
      'completes after SUCCESS or FAILURE. An unknown or expired task id is a NOT_FOUND error.',
    args: { taskId: t.arg.id({ required: true, description: 'The task id from a ticket.' }) },
    // An async function (not a generator) so NOT_FOUND is thrown before the stream starts and
    // reaches the client as a GraphQL error with its code.
    subscribe: (_root, { taskId }, ctx) => ctx.followTask(String(taskId)),
    resolve: (event: TaskEvent) => event,
  }),
);
