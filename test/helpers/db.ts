// Per-test-file PostgreSQL databases: each file gets a fresh, migrated database of its
// own and drops it afterwards, so files run in parallel without seeing each other.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../src/db/migrate.js';
import { createPrisma, type Db } from '../../src/db/prisma.js';

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Runs `f` on a pg client of `url`, connected for the call and ended after it. */
export async function withClient<T>(url: string, f: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await f(client);
  } finally {
    await client.end();
  }
}

export type TestDatabase = { url: string; name: string; prisma: Db; drop: () => Promise<void> };
export type UnusedDatabase = { url: string; name: string; drop: () => Promise<void> };

/** A unique database name and its URL (on `adminUrl`'s server), not created yet; `drop()` removes it if something created it. */
export function unusedDatabase(label: string, adminUrl: string = ADMIN_URL): UnusedDatabase {
  const name = `kontrata_test_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await withClient(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** Creates and migrates a uniquely named database (on `adminUrl`'s server); `drop()` disconnects and removes it. */
export async function createTestDatabase(label: string, adminUrl: string = ADMIN_URL): Promise<TestDatabase> {
  const database = unusedDatabase(label, adminUrl);
  await migrate(database.url);
  const prisma = createPrisma(database.url, { max: 5 });
  return {
    ...database,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await database.drop();
    },
  };
}

export type PooledTestDatabase = TestDatabase & { pool: pg.Pool };

/** A test database (see createTestDatabase) with a pg pool of `max` connections on it, for plain SQL; `drop()` ends the pool first. */
export async function createPooledTestDatabase(label: string, max: number): Promise<PooledTestDatabase> {
  const database = await createTestDatabase(label);
  const pool = new pg.Pool({ connectionString: database.url, max });
  // As node-postgres asks of every pool: an idle connection that is lost emits 'error' on the
  // pool, which would end the test process; the pool drops that connection and the next
  // query opens a new one (or fails, loudly, if the server is gone).
  pool.on('error', (err) => console.warn(`test pool of ${database.name}: idle connection lost: ${err.message}`));
  return {
    ...database,
    pool,
    drop: async () => {
      await pool.end();
      await database.drop();
    },
  };
}

/** A unique Redis key prefix for one test file. */
export function testQueuePrefix(label: string): string {
  return `kontrata-test:${label}:${randomBytes(4).toString('hex')}`;
}
