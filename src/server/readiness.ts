// /ready: the API can serve requests only when PostgreSQL and Redis answer. Clients (and
// load balancers) see only ok / unavailable; which service is down, and why, goes to the
// log. The probe uses the API's small housekeeping pool, never the engine's, so a busy
// engine does not make the API look dead.
import type { Redis } from 'ioredis';
import type { Db } from '../db/prisma.js';
import { withTimeout } from './redis.js';

export type ReadinessReport = { ready: boolean; postgres: string; redis: string };

// Long enough for a loaded machine, short enough for a load balancer's probe.
const PROBE_TIMEOUT_MS = 3000;

async function probe(fn: () => Promise<unknown>, what: string): Promise<string> {
  try {
    await withTimeout(fn(), PROBE_TIMEOUT_MS, `${what} did not answer within ${PROBE_TIMEOUT_MS} ms`);
    return 'ok';
  } catch (err) {
    return `unavailable: ${(err as Error).message.split('\n')[0]}`;
  }
}

/** Pings PostgreSQL and Redis in parallel; each probe is bounded by a short timeout. */
export async function checkReadiness(db: Db, redis: Redis): Promise<ReadinessReport> {
  const [postgres, redisState] = await Promise.all([
    probe(() => db.$queryRaw`SELECT 1`, 'PostgreSQL'),
    probe(() => redis.ping(), 'Redis'),
  ]);
  return { ready: postgres === 'ok' && redisState === 'ok', postgres, redis: redisState };
}

/** What /ready tells clients: nothing about the internals. */
export function publicReadiness(report: ReadinessReport): { status: 'ok' | 'unavailable' } {
  return { status: report.ready ? 'ok' : 'unavailable' };
}
