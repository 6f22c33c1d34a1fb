// One data load at a time: imports and seeds both rewrite contracts and the dimension
// counters, and two at once would make the counters (and the dataset version) lie.
import type pg from 'pg';
import { DATA_LOAD_LOCK_KEY, type DataVersionNotifier } from '../db/dataset.js';

export { DATA_LOAD_LOCK_KEY };

/** Runs `fn` holding the data-load advisory lock on `client` (a session lock: it spans many transactions).
 *  If another load holds it, calls `onWait` once and waits for it. With `notifier`, tells it
 *  that the load starts (before `fn`; if that throws, `fn` never runs) and that it ended, with
 *  the version it left (after `fn`, whatever its outcome, still holding the lock). */
export async function withDataLoadLock<T>(
  client: pg.PoolClient | pg.Client,
  fn: () => Promise<T>,
  onWait?: () => void,
  notifier?: DataVersionNotifier,
): Promise<T> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [DATA_LOAD_LOCK_KEY]);
  if (!rows[0]!.locked) {
    onWait?.();
    await client.query('SELECT pg_advisory_lock($1)', [DATA_LOAD_LOCK_KEY]);
  }
  try {
    await notifier?.loadStarting();
    try {
      return await fn();
    } finally {
      if (notifier) await notifyEnded(client, notifier);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [DATA_LOAD_LOCK_KEY]).catch(() => {});
  }
}

/** Tells `notifier` the version the load left. If it cannot be read, the notifier keeps its "loading" state, which is safe. */
async function notifyEnded(client: pg.PoolClient | pg.Client, notifier: DataVersionNotifier): Promise<void> {
  try {
    const { rows } = await client.query<{ version: string }>('SELECT version::text AS version FROM dataset_state WHERE id = 1');
    await notifier.loadEnded(rows[0]?.version ?? '0');
  } catch {
    // A failed load may have left the connection unusable; the API notices the end of
    // the load by the released lock instead (src/tasks/data-version.ts).
  }
}
