// "Download CSV": submits an export task for the current filter (one row per contract, or
// per name of a dimension), shows its progress (rows written), then downloads the file the
// API serves. A new filter forgets the previous file.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.js';
import type { ContractFilter, Dimension, ExportResultQuery } from '../api/generated.js';
import { runExport } from '../api/questions.js';
import type { TaskView } from '../api/tasks.js';
import { explain } from '../state/errors.js';
import { formatCount, formatInstant } from '../format.js';

type Export = Exclude<NonNullable<ExportResultQuery['taskResult']['data']>, Record<PropertyKey, never>>;

type Props = { filter: ContractFilter; dimension?: Dimension; label: string; testId: string };

/** Starts a download of `url` in this tab (the API answers Content-Disposition: attachment). */
function download(url: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = '';
  document.body.append(a);
  a.click();
  a.remove();
}

export function ExportButton({ filter, dimension, label, testId }: Props) {
  const [view, setView] = useState<TaskView | null>(null);
  const [file, setFile] = useState<Export | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const controller = useRef<AbortController | null>(null);
  const key = JSON.stringify([filter, dimension]);

  useEffect(() => {
    setView(null);
    setFile(null);
    setError(null);
    return () => controller.current?.abort();
  }, [key]);

  const start = () => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    setFile(null);
    setError(null);
    runExport({ filters: filter, ...(dimension ? { dimension } : {}) }, c.signal, setView).then(
      (result) => {
        if (c.signal.aborted) return;
        setFile(result);
        download(result.url);
      },
      (err: unknown) => {
        if (!c.signal.aborted) setError(err instanceof ApiError ? err : new ApiError(String(err), 'INTERNAL_SERVER_ERROR'));
      },
    );
  };

  const busy = view !== null && view.phase !== 'done' && view.phase !== 'failed' && !error;
  return (
    <div class="export" data-testid={testId} data-phase={error ? 'failed' : view?.phase ?? 'idle'}>
      <button type="button" onClick={start} disabled={busy}>
        {label}
      </button>
      {busy && view && (
        <span class="export-progress">
          <progress max={100} value={view.progress} aria-label={`${label} progress`} /> <span role="status">{view.status}</span>
        </span>
      )}
      {file && (
        <span class="export-done" role="status">
          <a href={file.url} download>
            {formatCount(file.rows)} rows, {(file.bytes / 1024).toFixed(1)} KB
          </a>{' '}
          <span class="muted">(available until {formatInstant(file.expiresAt)})</span>
        </span>
      )}
      {error && (
        <span class="field-error" role="alert">
          {explain(error, null)}
        </span>
      )}
    </div>
  );
}
