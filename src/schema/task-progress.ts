// The taskProgress subscription and its TaskEvent. The stream itself (subscribe first, read
// the record, skip stale events, complete after a final state) is ctx.followTask: see
// src/server/task-follow.ts.
import type { TaskEvent } from '../tasks/types.js';
import { builder } from './builder.js';
import { TaskStateEnum } from './enums.js';

export const TaskEventRef = builder.objectRef<TaskEvent>('TaskEvent').implement({
  description: 'One message of the taskProgress subscription: the task\'s state after a change.',
  fields: (t) => ({
    taskId: t.exposeID('taskId', { description: 'The task.' }),
    state: t.expose('state', { type: TaskStateEnum, description: 'Lifecycle state; the stream completes after SUCCESS or FAILURE.' }),
    progress: t.exposeInt('progress', { description: 'Percent done, 0..100; never decreases within one attempt.' }),
    status: t.exposeString('status', { description: 'What the worker is doing now, for people.' }),
    cacheKey: t.exposeString('cacheKey', { description: 'Where the result will be: pass it to taskResult.' }),
    error: t.exposeString('error', { nullable: true, description: 'What went wrong; set in RETRY and FAILURE.' }),
  }),
});

builder.subscriptionField('taskProgress', (t) =>
  t.field({
    type: TaskEventRef,
    description:
      'Streams a task\'s progress: its current state first (so a late subscriber still learns the outcome), then every change; ' +
      'completes after SUCCESS or FAILURE. A task id the task store does not have is a NOT_FOUND error whose extensions.reason ' +
      'says why: LOST (the store lost it, e.g. Redis restarted without persistence: submit the question again), EXPIRED or UNKNOWN; ' +
      'a task lost while followed ends the stream with that error.',
    args: { taskId: t.arg.id({ required: true, description: 'The task id from a ticket.' }) },
    // An async function (not a generator) so NOT_FOUND is thrown before the stream starts and
    // reaches the client as a GraphQL error with its code.
    subscribe: (_root, { taskId }, ctx) => ctx.followTask(String(taskId)),
    resolve: (event: TaskEvent) => event,
  }),
);
