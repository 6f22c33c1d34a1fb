// Turns the engine's synchronous onProgress({done, total, message}) calls into PROGRESS
// writes, in order. 100% is kept for SUCCESS (the result still has to be stored after the
// last step), so running progress is capped at 99.
//
// Writes are sent at once, without waiting for the previous one's answer: they go down one
// Redis connection, and Redis runs a connection's commands in the order sent, so the records
// and events keep the engine's order while a burst of quick steps costs one round trip, not
// one per step (the final SUCCESS waits for flush()). Once the store says the attempt was
// superseded, nothing more is sent; writes already sent are refused by the store itself.
import type { ProgressUpdate } from '../src/contracts/types.js';
import type { TaskStore } from '../src/tasks/index.js';

export type ProgressReporter = {
  onProgress(update: ProgressUpdate): void;
  /** Resolves when every write queued so far is done (errors are reported to `onError`). */
  flush(): Promise<void>;
};

/** Percentage shown for `done` of `total` steps while the task is still running. */
export function progressPercent(update: ProgressUpdate): number {
  if (!(update.total > 0)) return 0;
  return Math.max(0, Math.min(99, Math.floor((100 * update.done) / update.total)));
}

/**
 * Creates the reporter of one attempt. `onSuperseded` is called once if the store says this
 * attempt is no longer the task's current one (another worker took the task over).
 */
export function createProgressReporter(args: {
  store: TaskStore;
  taskId: string;
  attempt: number;
  onSuperseded: () => void;
  onError: (err: unknown) => void;
}): ProgressReporter {
  let sent: Promise<void> = Promise.resolve();
  let lastPercent = -1;
  let lastMessage = '';
  let current = true;
  return {
    onProgress(update) {
      const percent = Math.max(lastPercent, progressPercent(update));
      const message = update.message || 'Working';
      if (percent === lastPercent && message === lastMessage) return;
      lastPercent = percent;
      lastMessage = message;
      if (!current) return;
      const write = args.store.progress(args.taskId, args.attempt, percent, message).then((recorded) => {
        if (!recorded && current) {
          current = false;
          args.onSuperseded();
        }
      }, args.onError);
      sent = Promise.all([sent, write]).then(() => {});
    },
    flush: () => sent,
  };
}
