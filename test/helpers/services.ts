// vitest globalSetup of the integration project: fails the run at once, with one clear
// message, when the PostgreSQL or Redis the tests need does not answer (rather than every
// file timing out on its own).
import { Redis } from 'ioredis';
import pg from 'pg';
import { ADMIN_URL, TEST_REDIS_URL } from './db.js';

/** Checks that PostgreSQL (TEST_DATABASE_ADMIN_URL) and Redis (TEST_REDIS_URL) answer. */
export default async function checkServices(): Promise<void> {
  const problems: string[] = [];
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    problems.push(`PostgreSQL at ${ADMIN_URL}: ${(err as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    problems.push(`Redis at ${TEST_REDIS_URL}: ${(err as Error).message}`);
  } finally {
    redis.disconnect();
  }
  if (problems.length) throw new Error(`The integration tests need these services:\n  ${problems.join('\n  ')}`);
}
