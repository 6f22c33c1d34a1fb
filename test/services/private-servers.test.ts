// The private servers fault tests build on (test/helpers/private-servers.ts): each starts
// on its own port and directory, survives a stop or a crash (kill -9) with its data, and
// is gone after remove().
import { access } from 'node:fs/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpConnect } from '../../src/services/probe.js';
import { withClient } from '../helpers/db.js';
import { privatePostgresServer, privateRedisServer, type PrivateServer } from '../helpers/private-servers.js';

async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  return withClient(url, async (client) => (await client.query<T>(text)).rows);
}

/**
 * Stops the server (cleanly, or with kill -9), waits until nothing listens on its port (a killed
 * process's listener goes away a moment later) and starts it again on the same directory.
 */
async function bounce(server: PrivateServer, how: 'stop' | 'kill'): Promise<void> {
  await (how === 'stop' ? server.stop() : server.kill());
  await expect.poll(() => tcpConnect('127.0.0.1', server.port), { timeout: 10_000 }).toBe('refused');
  await server.restart();
}

describe('private PostgreSQL server', () => {
  let server: PrivateServer;
  beforeAll(async () => {
    server = await privatePostgresServer();
  });
  afterAll(async () => {
    await server?.remove();
  });

  it('keeps committed data across a clean stop and a kill -9', async () => {
    await sql(server.url, 'CREATE TABLE IF NOT EXISTS kept (n int); TRUNCATE kept; INSERT INTO kept VALUES (1)');
    await bounce(server, 'stop');
    await sql(server.url, 'INSERT INTO kept VALUES (2)');
    const before = server.pid();
    await bounce(server, 'kill');
    expect(server.pid()).not.toBe(before);
    expect(await sql<{ n: number }>(server.url, 'SELECT n FROM kept ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }]);
  });
});

describe('private Redis server', () => {
  let server: PrivateServer;
  beforeAll(async () => {
    server = await privateRedisServer();
  });
  afterAll(async () => {
    await server?.remove();
  });

  it('keeps its data in the AOF across a stop, and comes back after a kill -9', async () => {
    const redis = new Redis(server.url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    redis.on('error', () => {});
    await redis.connect();
    await redis.set('kept', '1');
    redis.disconnect();
    await bounce(server, 'stop');
    const before = server.pid();
    await bounce(server, 'kill');
    expect(server.pid()).not.toBe(before);
    const again = new Redis(server.url);
    try {
      expect(await again.get('kept')).toBe('1');
    } finally {
      again.disconnect();
    }
  });

  it('remove() stops it and deletes its directory', async () => {
    const other = await privateRedisServer();
    await other.remove();
    expect(await tcpConnect('127.0.0.1', other.port)).toBe('refused');
    expect(await access(other.dir).then(() => true, () => false)).toBe(false);
  });
});
