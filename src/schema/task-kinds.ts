// The GraphQL side of each task kind, in one map keyed by TaskKind (a kind missing here is a
// compile error). The TaskKind enum, the TaskResultData union and the submit mutations
// (submit.ts) are generated from it; the kinds themselves are src/tasks/registry.ts.
import type { InputObjectRef, ObjectRef } from '@pothos/core';
import { TASK_KINDS, type TaskKind, type TaskPayloads, type TaskResultData, type TaskResults } from '../tasks/types.js';
import { AnalyticsInputRef, AnalyticsResultRef, AnalyticsTableInputRef, AnalyticsTableResultRef } from './analytics.js';
import { builder } from './builder.js';
import { SearchInputRef, SearchResultRef } from './contract.js';
import { ExportInputRef, ExportResultRef } from './export.js';

type Types = typeof builder.$inferSchemaTypes;

export type KindGraphQL<K extends TaskKind> = {
  /** The TaskKind enum value's description. */
  description: string;
  /** The object type of the result: a member of the TaskResultData union. */
  result: ObjectRef<Types, TaskResults[K]>;
  /** The submit mutation: its name, its `input` argument's type and what it says. */
  submit: { name: string; input: InputObjectRef<Types, TaskPayloads[K]>; queues: string; argument: string };
};

/** Per kind: its TaskKind description, result type and submit mutation. */
export const TASK_KIND_GRAPHQL: { readonly [K in TaskKind]: KindGraphQL<K> } = {
  SEARCH: {
    description: 'A contract search (submitSearch); the result is a SearchResult.',
    result: SearchResultRef,
    submit: { name: 'submitSearch', input: SearchInputRef, queues: 'Queues a contract search (or returns the cached or running one).', argument: 'The search.' },
  },
  ANALYTICS: {
    description: 'Dashboard analytics (submitAnalytics); the result is an AnalyticsResult.',
    result: AnalyticsResultRef,
    submit: { name: 'submitAnalytics', input: AnalyticsInputRef, queues: 'Queues dashboard analytics (or returns the cached or running task).', argument: 'The question.' },
  },
  ANALYTICS_TABLE: {
    description: 'One aggregate table (submitAnalyticsTable); the result is an AnalyticsTableResult.',
    result: AnalyticsTableResultRef,
    submit: { name: 'submitAnalyticsTable', input: AnalyticsTableInputRef, queues: 'Queues an aggregate table page (or returns the cached or running task).', argument: 'The question.' },
  },
  EXPORT: {
    description: 'A CSV export (submitExport); the result is an ExportResult with the download url.',
    result: ExportResultRef,
    submit: {
      name: 'submitExport',
      input: ExportInputRef,
      queues: 'Queues a CSV export of every matching contract or group (or returns the cached or running one: the same export is one file).',
      argument: 'The export.',
    },
  },
};

/** A value for every kind, keyed by kind, in registry order. */
function byKind<T>(value: (kind: TaskKind) => T): Record<TaskKind, T> {
  return Object.fromEntries(TASK_KINDS.map((kind) => [kind, value(kind)])) as Record<TaskKind, T>;
}

/** "a, b or c" */
function listed(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('');
}

/** The TaskKind enum: one value per registry kind. */
export const TaskKindEnum = builder.enumType('TaskKind', {
  description: 'What an asynchronous task computes.',
  values: byKind((kind) => ({ description: TASK_KIND_GRAPHQL[kind].description })),
});

// Union members are the plain results; the stored kind travels with them under a symbol
// (invisible to GraphQL and JSON) so resolveType need not guess from the shape.
const RESULT_KIND = Symbol('resultKind');
type TaggedResult = TaskResultData['data'] & { [RESULT_KIND]: TaskKind };

const resultRefs = TASK_KINDS.map((kind) => TASK_KIND_GRAPHQL[kind].result);

/** The TaskResultData union: one member per kind, its result type. */
export const TaskResultDataRef = builder.unionType('TaskResultData', {
  description: `A task's result: ${listed(resultRefs.map((ref) => ref.name))} according to the task kind.`,
  types: resultRefs,
  resolveType: (value) => TASK_KIND_GRAPHQL[(value as TaggedResult)[RESULT_KIND]].result,
});

/** A cached result as a TaskResultData union value (its kind attached for resolveType). */
export function resultValue(result: TaskResultData): TaggedResult {
  return { ...result.data, [RESULT_KIND]: result.kind };
}
