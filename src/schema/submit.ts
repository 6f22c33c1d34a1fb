// The submit mutations, one per task kind, generated from TASK_KIND_GRAPHQL: each queues a
// task of its kind (or answers with the cached or running one) through the task queue.
import { TASK_KINDS, type TaskKind } from '../tasks/types.js';
import { builder } from './builder.js';
import { TASK_KIND_GRAPHQL } from './task-kinds.js';
import { TaskTicketRef } from './task.js';

/** Adds `kind`'s submit mutation (e.g. submitSearch(input: SearchInput!): TaskTicket!). */
function addSubmitMutation(kind: TaskKind): void {
  const { submit } = TASK_KIND_GRAPHQL[kind];
  builder.mutationField(submit.name, (t) =>
    t.field({
      type: TaskTicketRef,
      description: `${submit.queues} Invalid input is BAD_USER_INPUT and queues nothing.`,
      args: { input: t.arg({ type: submit.input, required: true, description: submit.argument }) },
      resolve: (_root, { input }, ctx) => ctx.tasks.submit(kind, input, { clientId: ctx.clientId }),
    }),
  );
}

for (const kind of TASK_KINDS) addSubmitMutation(kind);
