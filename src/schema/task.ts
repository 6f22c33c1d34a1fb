// Asynchronous tasks: tickets, task records and results (the submit mutations are
// submit.ts). All of it reads through the task queue (src/tasks), which reads Redis only.
import type { TaskRecord, TaskResultLookup, TaskTicket } from '../tasks/types.js';
import { builder } from './builder.js';
import { ResultStatusEnum, TaskStateEnum, TicketStatusEnum } from './enums.js';
import { resultValue, TaskKindEnum, TaskResultDataRef } from './task-kinds.js';

export const TaskRef = builder.objectRef<TaskRecord>('Task').implement({
  description: 'An asynchronous task, as recorded in the task store. Records expire with their results.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Task id: pass it to taskStatus and taskProgress.' }),
    kind: t.expose('kind', { type: TaskKindEnum, description: 'What the task computes.' }),
    state: t.expose('state', { type: TaskStateEnum, description: 'Where the task is in its lifecycle.' }),
    progress: t.exposeInt('progress', { description: 'Percent of the work done, 0..100; never decreases within one attempt.' }),
    status: t.exposeString('status', { description: 'What the worker is doing now, for people (e.g. "Counting matching contracts").' }),
    cacheKey: t.exposeString('cacheKey', { description: 'Where the result will be: pass it to taskResult.' }),
    error: t.exposeString('error', { nullable: true, description: 'What went wrong, for people; set in RETRY and FAILURE.' }),
    attempts: t.exposeInt('attempts', { description: 'Attempts started so far.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the task was queued.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true, description: 'When a worker first started it.' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true, description: 'When it reached SUCCESS or FAILURE.' }),
  }),
});

export const TaskTicketRef = builder.objectRef<TaskTicket>('TaskTicket').implement({
  description: 'The answer to a submission: which task computes it and where its result will be.',
  fields: (t) => ({
    status: t.expose('status', { type: TicketStatusEnum, description: 'QUEUED (new task), CACHED (result ready) or DEDUPLICATED (identical task already queued or running).' }),
    taskId: t.exposeID('taskId', { description: 'The task to follow with taskProgress or taskStatus.' }),
    cacheKey: t.exposeString('cacheKey', { description: '"<kind>:<hash>" of the normalised input and data version: the same question gets the same key.' }),
    message: t.exposeString('message', { description: 'What happened, for people.' }),
    task: t.expose('task', { type: TaskRef, description: 'The task as it is now.' }),
  }),
});

export const TaskResultRef = builder.objectRef<TaskResultLookup>('TaskResult').implement({
  description: 'A task result looked up by cache key.',
  fields: (t) => ({
    status: t.expose('status', { type: ResultStatusEnum, description: 'READY, NOT_READY, NOT_FOUND or FAILED.' }),
    message: t.exposeString('message', { description: 'What the status means here, for people; the error when FAILED.' }),
    data: t.field({
      type: TaskResultDataRef,
      nullable: true,
      description: 'The result, when READY.',
      resolve: ({ result }) => (result ? resultValue(result) : null),
    }),
  }),
});

builder.queryFields((t) => ({
  taskStatus: t.field({
    type: TaskRef,
    nullable: true,
    description:
      'The task\'s current record; null when unknown or expired. A task the store lost although it cannot have expired yet ' +
      '(Redis lost its data) is null with a NOT_FOUND error (extensions.reason LOST) saying to submit the question again. Reads the task store only.',
    args: { taskId: t.arg.id({ required: true, description: 'The task id from a ticket.' }) },
    resolve: (_root, { taskId }, ctx) => ctx.tasks.findTask(String(taskId)),
  }),
  taskResult: t.field({
    type: TaskResultRef,
    description: 'The result cached under a ticket\'s cacheKey, or why there is none. Reads the task store only.',
    args: { cacheKey: t.arg.string({ required: true, description: 'The cacheKey from a ticket or task.' }) },
    resolve: (_root, { cacheKey }, ctx) => ctx.tasks.getResult(cacheKey),
  }),
}));
