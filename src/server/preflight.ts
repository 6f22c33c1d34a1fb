// Before starting, check that PostgreSQL and Redis answer, and if not say which one, where,
// and how to start it, instead of a stack trace from deep inside a driver.
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Config } from '../config.js';
import { adminUrlOf, describeDatabaseUrl } from '../db/pg.js';

const TIMEOUT_MS = 3000;

function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return '(unparseable REDIS_URL)';
  }
}

async function probePostgres(databaseUrl: string): Promise<string | null> {
  // The server's own `postgres` database: ours may not exist yet (migrate creates it).
  const client = new pg.Client({ connectionString: adminUrlOf(databaseUrl), connectionTimeoutMillis: TIMEOUT_MS });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return (err as Error).message || String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

async function probeRedis(redisUrl: string): Promise<string | null> {
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null, // one attempt only
  });
  let lastError: string | null = null;
  client.on('error', (err: Error) => {
    lastError = err.message;
  });
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (err) {
    return lastError ?? ((err as Error).message || String(err));
  } finally {
    client.disconnect();
  }
}

/** Returns one message per unreachable service (empty when both answer), each saying how to start it. */
export async function checkServices(config: Pick<Config, 'databaseUrl' | 'redisUrl'>): Promise<string[]> {
  const [pgError, redisError] = await Promise.all([probePostgres(config.databaseUrl), probeRedis(config.redisUrl)]);
  const problems: string[] = [];
  if (pgError) {
    problems.push(
      `PostgreSQL is not reachable at ${describeDatabaseUrl(config.databaseUrl)} (DATABASE_URL): ${pgError}\n` +
        '  Start it with Docker:  docker compose up -d postgres\n' +
        '  or the system package: pg_ctlcluster 15 main start   (Debian/Ubuntu; or: sudo systemctl start postgresql)',
    );
  }
  if (redisError) {
    problems.push(
      `Redis is not reachable at ${describeRedisUrl(config.redisUrl)} (REDIS_URL): ${redisError}\n` +
        '  Start it with Docker:  docker compose up -d redis\n' +
        '  or the system package: redis-server --daemonize yes   (or: sudo systemctl start redis-server)',
    );
  }
  return problems;
}
