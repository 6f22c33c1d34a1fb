// Plain node-postgres access for what Prisma cannot do: COPY, CREATE DATABASE,
// pg_cancel_backend and the migration runner.
import pg from 'pg';

/** Describes where a database URL points, without the password, for error messages. */
export function describeDatabaseUrl(databaseUrl: string): string {
  try {
    const u = new URL(databaseUrl);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/**
 * A connected node-postgres client. node-postgres reports a connection lost while the client
 * is idle (between statements: a load's session waits minutes while indexes build on other
 * connections) as an 'error' event, which ends the process when nobody listens. Listened to
 * here, the loss instead makes the client's next statement reject, and the caller's own error
 * handling (rollback, cleanup, a clear failure) runs.
 */
export async function connectClient(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Runs `work` on `client` with work_mem at `size` (a sort or hash that must stay in memory), then puts the session's value back. */
export async function withWorkMem<T>(client: pg.Client | pg.PoolClient, size: string, work: () => Promise<T>): Promise<T> {
  const { rows } = await client.query<{ work_mem: string }>('SHOW work_mem');
  await client.query('SELECT set_config($1, $2, false)', ['work_mem', size]);
  try {
    return await work();
  } finally {
    await client.query('SELECT set_config($1, $2, false)', ['work_mem', rows[0]!.work_mem]);
  }
}

/**
 * Waits for all of `work` (statements on connections of their own), then throws the first
 * failure: no connection is left running a statement while the caller cleans up.
 */
export async function settleAll(work: readonly (Promise<unknown> | null)[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The same server's `postgres` maintenance database: reachable before ours exists. */
export function adminUrlOf(databaseUrl: string): string {
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  return admin.toString();
}

/** Creates the database named in `databaseUrl` if it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  const client = await connectClient(adminUrlOf(databaseUrl));
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    try {
      // Identifiers cannot be bound; escape by doubling quotes.
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    } catch (err) {
      // Another process created it between our check and our CREATE: 42P04 (duplicate
      // database) once its CREATE has committed, 23505 (unique violation on pg_database's
      // name index) when both CREATEs ran at the same moment.
      const code = (err as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw err;
      return false;
    }
    return true;
  } finally {
    await client.end();
  }
}
