// A task's progress as a person sees it: a progress bar with the worker's own status text
// while it runs, "answered from the cache" for a CACHED ticket, or what went wrong.
import type { TaskView } from '../api/tasks.js';
import { explain, fieldOf } from '../state/errors.js';
import type { TaskState } from '../state/use-task.js';

const PHASE_TEXT: Record<TaskView['phase'], string> = {
  submitting: 'Sending',
  queued: 'Waiting for a worker',
  running: 'Working',
  retrying: 'Retrying after an error',
  loading: 'Reading the result',
  done: 'Done',
  failed: 'Failed',
};

type Props = { name: string; task: TaskState<unknown>; testId: string; hideFieldErrors?: boolean };

export function TaskStatus({ name, task, testId, hideFieldErrors }: Props) {
  const { view, error, retryIn } = task;
  if (error) {
    // Shown next to its field instead (see FilterPanel).
    if (hideFieldErrors && fieldOf(error)) return null;
    return (
      <div class={`notice notice-${error.code === 'RATE_LIMITED' || error.code === 'QUEUE_FULL' ? 'warn' : 'error'}`} role="alert" data-testid={`${testId}-error`} data-code={error.code}>
        <strong>{name}:</strong> {explain(error, retryIn)}{' '}
        {retryIn === null && (
          <button type="button" onClick={task.retry}>
            Try again
          </button>
        )}
      </div>
    );
  }
  if (!view) return null;
  const busy = view.phase !== 'done';
  return (
    <div class={`task-status${busy ? ' busy' : ''}`} data-testid={testId} data-phase={view.phase} data-ticket={view.ticket ?? ''}>
      <div class="task-line">
        <span class="task-name">{name}</span>
        <span role="status" aria-live="polite" class="task-text">
          {view.phase === 'done' ? view.status : `${PHASE_TEXT[view.phase]}: ${view.status}`}
        </span>
      </div>
      <progress max={100} value={view.progress} aria-label={`${name} progress`} data-testid={`${testId}-bar`}>
        {view.progress}%
      </progress>
    </div>
  );
}
