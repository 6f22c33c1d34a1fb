// One data load at a time: imports and seeds both rewrite contracts and the dimension
// counters, and two at once would make the counters (and the dataset version) lie.
import type pg from 'pg';

// Arbitrary constant, distinct from the migration runner's lock (727_001).
export const DATA_LOAD_LOCK_KEY = 727_002;

/** Runs `fn` holding the data-load advisory lock on `client` (a session lock: it spans many transactions).
 *  If another load holds it, calls `onWait` once and waits for it. */
export async function withDataLoadLock<T>(client: pg.PoolClient | pg.Client, fn: () => Promise<T>, onWait?: () => void): Promise<T> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [DATA_LOAD_LOCK_KEY]);
  if (!rows[0]!.locked) {
    onWait?.();
    await client.query('SELECT pg_advisory_lock($1)', [DATA_LOAD_LOCK_KEY]);
  }
  try {
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [DATA_LOAD_LOCK_KEY]).catch(() => {});
  }
}
