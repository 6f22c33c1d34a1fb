// Per-test-file PostgreSQL databases: each file gets a fresh, migrated database of its
// own and drops it afterwards, so files run in parallel without seeing each other.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../src/db/migrate.js';
import { createPrisma, type Db } from '../../src/db/prisma.js';

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type TestDatabase = { url: string; name: string; prisma: Db; drop: () => Promise<void> };

/** Creates and migrates a uniquely named database (on `adminUrl`'s server); `drop()` disconnects and removes it. */
export async function createTestDatabase(label: string, adminUrl: string = ADMIN_URL): Promise<TestDatabase> {
  const name = `kontrata_test_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  const prisma = createPrisma(url.toString(), { max: 5 });
  return {
    url: url.toString(),
    name,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** A unique Redis key prefix for one test file. */
export function testQueuePrefix(label: string): string {
  return `kontrata-test:${label}:${randomBytes(4).toString('hex')}`;
}
