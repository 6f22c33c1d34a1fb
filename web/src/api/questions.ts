// The dashboard's three asynchronous questions, each a submit mutation plus the matching
// taskResult read, run through runTask.
import { request } from './client.js';
import type {
  AnalyticsInput,
  AnalyticsResultQuery,
  AnalyticsTableInput,
  AnalyticsTableResultQuery,
  ExportInput,
  ExportResultQuery,
  SearchInput,
  SearchResultQuery,
  SubmitAnalyticsMutation,
  SubmitAnalyticsTableMutation,
  SubmitExportMutation,
  SubmitSearchMutation,
} from './generated.js';
import { ANALYTICS_RESULT, EXPORT_RESULT, SEARCH_RESULT, SUBMIT_ANALYTICS, SUBMIT_EXPORT, SUBMIT_SEARCH, SUBMIT_TABLE, TABLE_RESULT } from './operations.js';
import { runTask, type TaskView } from './tasks.js';

// Each result query asks for one member of TaskResultData; the others come back as {}.
type Data<Q extends { taskResult: { data: unknown } }> = Exclude<NonNullable<Q['taskResult']['data']>, Record<PropertyKey, never>>;

function reader<Q extends { taskResult: { status: string; message: string; data: unknown } }>(query: string, key: string) {
  return async (cacheKey: string, signal: AbortSignal): Promise<{ status: string; message: string; data: Data<Q> | null }> => {
    const { taskResult } = await request<Q, { cacheKey: string }>(query, { cacheKey }, signal);
    const data = taskResult.data && key in (taskResult.data as object) ? (taskResult.data as Data<Q>) : null;
    return { status: taskResult.status, message: taskResult.message, data };
  };
}

export function runAnalytics(input: AnalyticsInput, signal: AbortSignal, onUpdate: (view: TaskView) => void) {
  return runTask({
    submit: async (s) => (await request<SubmitAnalyticsMutation, { input: AnalyticsInput }>(SUBMIT_ANALYTICS, { input }, s)).submitAnalytics,
    read: reader<AnalyticsResultQuery>(ANALYTICS_RESULT, 'summary'),
    onUpdate,
    signal,
  });
}

export function runSearch(input: SearchInput, signal: AbortSignal, onUpdate: (view: TaskView) => void) {
  return runTask({
    submit: async (s) => (await request<SubmitSearchMutation, { input: SearchInput }>(SUBMIT_SEARCH, { input }, s)).submitSearch,
    read: reader<SearchResultQuery>(SEARCH_RESULT, 'contracts'),
    onUpdate,
    signal,
  });
}

export function runTable(input: AnalyticsTableInput, signal: AbortSignal, onUpdate: (view: TaskView) => void) {
  return runTask({
    submit: async (s) => (await request<SubmitAnalyticsTableMutation, { input: AnalyticsTableInput }>(SUBMIT_TABLE, { input }, s)).submitAnalyticsTable,
    read: reader<AnalyticsTableResultQuery>(TABLE_RESULT, 'rows'),
    onUpdate,
    signal,
  });
}

export function runExport(input: ExportInput, signal: AbortSignal, onUpdate: (view: TaskView) => void) {
  return runTask({
    submit: async (s) => (await request<SubmitExportMutation, { input: ExportInput }>(SUBMIT_EXPORT, { input }, s)).submitExport,
    read: reader<ExportResultQuery>(EXPORT_RESULT, 'url'),
    onUpdate,
    signal,
  });
}
