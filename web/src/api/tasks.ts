// One asynchronous question from the dashboard's point of view: submit, follow taskProgress
// until SUCCESS or FAILURE, read the result. A CACHED ticket skips straight to the result.
import { ApiError, request, wsClient } from './client.js';
import type { TaskProgressSubscription, TicketFragment } from './generated.js';
import { TASK_PROGRESS } from './operations.js';

export type TaskPhase = 'submitting' | 'queued' | 'running' | 'retrying' | 'loading' | 'done' | 'failed';

/** What the progress bar shows. */
export type TaskView = {
  phase: TaskPhase;
  progress: number;
  status: string;
  /** QUEUED, CACHED or DEDUPLICATED once the ticket is back. */
  ticket?: string;
  error?: ApiError;
};

type ResultEnvelope<R> = { status: string; message: string; data: R | null };

export type TaskSpec<R> = {
  submit: (signal: AbortSignal) => Promise<TicketFragment>;
  /** Reads taskResult(cacheKey) with this result's fields. */
  read: (cacheKey: string, signal: AbortSignal) => Promise<ResultEnvelope<R>>;
  onUpdate: (view: TaskView) => void;
  signal: AbortSignal;
};

const PHASE_OF_STATE: Record<string, TaskPhase> = {
  PENDING: 'queued',
  STARTED: 'running',
  PROGRESS: 'running',
  RETRY: 'retrying',
  SUCCESS: 'loading',
  FAILURE: 'failed',
};

/** Follows one task over graphql-ws; resolves with the final event (SUCCESS or FAILURE). */
function follow(taskId: string, onEvent: (event: TaskProgressSubscription['taskProgress']) => void, signal: AbortSignal) {
  return new Promise<TaskProgressSubscription['taskProgress']>((resolve, reject) => {
    let last: TaskProgressSubscription['taskProgress'] | undefined;
    const unsubscribe = wsClient().subscribe<TaskProgressSubscription>(
      { query: TASK_PROGRESS, variables: { taskId } },
      {
        next: ({ data, errors }) => {
          if (errors?.length) {
            const ext = (errors[0]!.extensions ?? {}) as { code?: string };
            reject(new ApiError(errors[0]!.message, ext.code ?? 'INTERNAL_SERVER_ERROR'));
            return;
          }
          if (!data) return;
          last = data.taskProgress;
          onEvent(last);
        },
        error: (err) => {
          const first = Array.isArray(err) ? (err[0] as { message?: string; extensions?: { code?: string } }) : undefined;
          reject(new ApiError(first?.message ?? 'The progress connection failed.', first?.extensions?.code ?? 'NETWORK'));
        },
        complete: () => (last ? resolve(last) : reject(new ApiError('The progress stream ended without an outcome.', 'NETWORK'))),
      },
    );
    signal.addEventListener('abort', () => {
      unsubscribe();
      reject(signal.reason);
    }, { once: true });
  });
}

/** Runs one question to its result; rejects with an ApiError that says why it failed. */
export async function runTask<R>({ submit, read, onUpdate, signal }: TaskSpec<R>): Promise<R> {
  let view: TaskView = { phase: 'submitting', progress: 0, status: 'Sending the question' };
  const update = (patch: Partial<TaskView>) => {
    if (signal.aborted) return;
    view = { ...view, ...patch };
    onUpdate(view);
  };
  update({});
  // A result can expire between the ticket and the read (RESULT_TTL_SECONDS): ask again once.
  for (let attempt = 0; ; attempt++) {
    const ticket = await submit(signal);
    const { task } = ticket;
    update({ ticket: ticket.status, phase: PHASE_OF_STATE[task.state] ?? 'running', progress: task.progress, status: task.status });
    let state = task.state;
    let error = task.error;
    if (state !== 'SUCCESS' && state !== 'FAILURE') {
      const last = await follow(
        ticket.taskId,
        (event) => update({ phase: PHASE_OF_STATE[event.state] ?? 'running', progress: event.progress, status: event.status }),
        signal,
      );
      state = last.state;
      error = last.error;
    }
    if (state === 'FAILURE') {
      const failure = new ApiError(error ?? 'The task failed.', 'TASK_FAILED');
      update({ phase: 'failed', error: failure });
      throw failure;
    }
    update({ phase: 'loading', progress: 100, status: 'Reading the result' });
    const result = await read(ticket.cacheKey, signal);
    if (result.status === 'READY' && result.data) {
      update({ phase: 'done', progress: 100, status: ticket.status === 'CACHED' ? 'Answered from the cache' : 'Done' });
      return result.data;
    }
    if (result.status === 'FAILED') {
      const failure = new ApiError(result.message, 'TASK_FAILED');
      update({ phase: 'failed', error: failure });
      throw failure;
    }
    if (attempt >= 1) throw new ApiError(result.message, 'NOT_FOUND');
  }
}
