// With Redis run as docker-compose.yml runs it (AOF fsynced every second, noeviction), no
// fault loses a task: a graceful Redis restart, Redis killed with SIGKILL and a fast
// PostgreSQL restart, each while tasks run and wait behind them, every one followed over
// graphql-ws. Against private servers this test starts itself (never the shared ones).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULTS, runFault, type FaultTarget } from '../helpers/faults.js';
import { privatePostgresServer, privateRedisServer, type PrivateServer } from '../helpers/private-servers.js';
import { startStack, type Stack } from '../helpers/stack.js';

const CONCURRENCY = 2;
const TASKS = 6;

describe('a durable task store (AOF everysec, noeviction)', () => {
  let postgres: PrivateServer;
  let redis: PrivateServer;
  let stack: Stack;
  let target: FaultTarget;

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([privatePostgresServer(), privateRedisServer()]);
    stack = await startStack('faults_durable', {
      contracts: 3000,
      redisUrl: redis.url,
      adminUrl: postgres.url,
      // During a PostgreSQL restart (about 3 s here: a clean stop, then a start) every attempt
      // fails at once, so a task may use several retries: 4 retries, 1 s doubling, span 15 s.
      env: { WORKER_CONCURRENCY: String(CONCURRENCY), TASK_MAX_RETRIES: '4', TASK_RETRY_BACKOFF_MS: '1000' },
    });
    target = { url: stack.url, databaseUrl: stack.database.url, redis, postgres, concurrency: CONCURRENCY };
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.allSettled([redis?.remove(), postgres?.remove()]);
  });

  describe.each(FAULTS.map((fault, seq) => ({ fault, seq })))('when $fault hits running and queued tasks', ({ fault, seq }) => {
    it('every task ends SUCCESS with its result READY, and /ready answers 200 within 5 s', async () => {
      const outcome = await runFault(target, fault, { tasks: TASKS, seq, readyWithinMs: 5000 });
      // The fault really hit work in flight: tasks running and tasks waiting behind them.
      expect(outcome.runningAtFault).toBe(CONCURRENCY);
      expect(outcome.queuedAtFault).toBe(TASKS - CONCURRENCY);
      expect(outcome.tasks.map((t) => [t.end, t.error?.message ?? null])).toEqual(outcome.tasks.map(() => ['SUCCESS', null]));
      expect(outcome.tasks.map((t) => t.result.status)).toEqual(outcome.tasks.map(() => 'READY'));
      expect(outcome.readyMs).not.toBeNull();
      // PostgreSQL's restart ends the running attempts (and any that start while it is down): retried, not failed.
      if (fault === 'postgres-restart') expect(outcome.tasks.filter((t) => (t.attempts ?? 0) >= 2).length).toBeGreaterThanOrEqual(CONCURRENCY);
    });
  });
});
