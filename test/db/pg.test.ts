// connectClient (src/db/pg.ts): a connection lost while the client is idle makes its next
// statement reject; it does not end the process (node-postgres emits 'error', which nobody
// would otherwise listen to: vitest would report an uncaught exception here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../../src/db/pg.js';
import { ADMIN_URL, createTestDatabase, withClient, type TestDatabase } from '../helpers/db.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('db_pg');
});
afterAll(async () => {
  await db?.drop();
});

describe('connectClient', () => {
  it('survives its connection being terminated while idle, and rejects its next statement', async () => {
    const client = await connectClient(db.url);
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await withClient(ADMIN_URL, (admin) => admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]));
    await expect.poll(() => client.query('SELECT 1').then(() => 'answered', () => 'rejected')).toBe('rejected');
    await client.end().catch(() => {});
  });
});
