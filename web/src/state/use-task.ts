// A task per question key: a new key aborts the previous task (its subscription is closed)
// and starts a new one; the previous answer stays on screen, marked stale, until the new
// one arrives. RATE_LIMITED waits the time the API asked for, then tries again by itself.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import type { TaskView } from '../api/tasks.js';

export type TaskState<R> = {
  view: TaskView | null;
  data: R | null;
  /** Whether `data` answers the current key. */
  fresh: boolean;
  error: ApiError | null;
  /** Seconds left before a RATE_LIMITED question is asked again. */
  retryIn: number | null;
  retry: () => void;
};

export function useTask<R>(key: string | null, run: (signal: AbortSignal, onUpdate: (view: TaskView) => void) => Promise<R>): TaskState<R> {
  const [state, setState] = useState<Omit<TaskState<R>, 'retry'>>({ view: null, data: null, fresh: false, error: null, retryIn: null });
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    let countdown: ReturnType<typeof setInterval> | undefined;
    setState((s) => ({ ...s, fresh: false, error: null, retryIn: null }));
    run(controller.signal, (view) => setState((s) => ({ ...s, view }))).then(
      (data) => {
        if (!controller.signal.aborted) setState((s) => ({ ...s, data, fresh: true, error: null }));
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        const error = err instanceof ApiError ? err : new ApiError(String((err as Error)?.message ?? err), 'INTERNAL_SERVER_ERROR');
        setState((s) => ({ ...s, error, view: s.view && { ...s.view, phase: 'failed' }, retryIn: error.code === 'RATE_LIMITED' ? error.retryAfterSeconds ?? 5 : null }));
        if (error.code === 'RATE_LIMITED') {
          countdown = setInterval(() => {
            setState((s) => {
              if (s.retryIn === null) return s;
              if (s.retryIn <= 1) {
                clearInterval(countdown);
                setNonce((n) => n + 1);
                return { ...s, retryIn: null };
              }
              return { ...s, retryIn: s.retryIn - 1 };
            });
          }, 1000);
        }
      },
    );
    return () => {
      controller.abort();
      clearInterval(countdown);
    };
  }, [key, nonce]);

  return { ...state, retry: () => setNonce((n) => n + 1) };
}
