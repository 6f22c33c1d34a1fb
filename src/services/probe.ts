// Does a configured service answer? Three answers, because they lead to different actions:
// it answers (use it), nothing listens on its port (Kontrata may start one there), or
// something listens but does not answer as it should (wrong password, another program on
// the port: starting a server there would fail, so report it instead).
import net from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { adminUrlOf } from '../db/pg.js';
import type { Endpoint } from './endpoint.js';

const TIMEOUT_MS = 3000;

export type Probe = { state: 'answers' } | { state: 'nothing-listens'; error: string } | { state: 'fails'; error: string };

/** Whether a TCP connection to host:port is refused (no listener), made, or fails another way. */
export function tcpConnect(host: string, port: number, timeoutMs = TIMEOUT_MS): Promise<'open' | 'refused' | Error> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: 'open' | 'refused' | Error) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`no answer within ${timeoutMs} ms`)));
    socket.once('connect', () => done('open'));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      // With several addresses (localhost: ::1 and 127.0.0.1) Node reports an AggregateError.
      const errors = err instanceof AggregateError ? (err.errors as NodeJS.ErrnoException[]) : [err];
      done(errors.every((e) => e.code === 'ECONNREFUSED') ? 'refused' : err);
    });
  });
}

/** Connects to the server's maintenance database (ours may not exist yet: migrate creates it). */
export async function pingPostgres(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrlOf(databaseUrl), connectionTimeoutMillis: TIMEOUT_MS });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => {});
  }
}

/** One PING, one connection attempt, no retries. */
export async function pingRedis(redisUrl: string): Promise<void> {
  const client = new Redis(redisUrl, { lazyConnect: true, connectTimeout: TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let lastError: Error | null = null;
  client.on('error', (err: Error) => {
    lastError = err;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw lastError ?? err;
  } finally {
    client.disconnect();
  }
}

/** Probes one endpoint with its own protocol, and tells "nothing listens" apart from other failures. */
export async function probe(endpoint: Endpoint): Promise<Probe> {
  try {
    await (endpoint.kind === 'postgres' ? pingPostgres(endpoint.url) : pingRedis(endpoint.url));
    return { state: 'answers' };
  } catch (err) {
    const error = (err as Error).message || String(err);
    if (!endpoint.host) return { state: 'fails', error };
    const tcp = await tcpConnect(endpoint.host, endpoint.port);
    return tcp === 'refused' ? { state: 'nothing-listens', error } : { state: 'fails', error };
  }
}

/** Polls `probe` until the endpoint answers; throws the last error after `timeoutMs`. */
export async function waitUntilAnswers(endpoint: Endpoint, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await probe(endpoint);
    if (result.state === 'answers') return;
    if (Date.now() > deadline) throw new Error(`${endpoint.address} did not answer within ${timeoutMs / 1000} s: ${result.error}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
