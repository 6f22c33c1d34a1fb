// `npm run bench:faults -- [--tasks N] [--concurrency C] [--contracts M]`
//
// What each fault costs the clients, with Redis configured as docker-compose.yml runs it
// (durable: AOF everysec, noeviction) and as a cache (volatile: no AOF, no snapshots).
// For each configuration: a private PostgreSQL cluster and a private redis-server (never
// the shared ones), one API and one worker of C slots, M fixture contracts. For each fault
// (graceful Redis restart, Redis SIGKILL, PostgreSQL fast restart): N distinct tasks are
// submitted, the first C held running on a lock of the contracts table, the rest queued,
// each followed over graphql-ws; the fault hits, the lock is released, and every client's
// outcome is counted. Prints a table and, for lost tasks, what a client is told.
import { parseArgs } from 'node:util';
import { FAULTS, runFault, type FaultOutcome } from '../test/helpers/faults.js';
import { privatePostgresServer, privateRedisServer, VOLATILE_REDIS_ARGS } from '../test/helpers/private-servers.js';
import { startStack } from '../test/helpers/stack.js';
import { loadAverage } from './support.js';

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '4' },
    contracts: { type: 'string', default: '20000' },
  },
});
const tasks = Number(values.tasks);
const concurrency = Number(values.concurrency);
const contracts = Number(values.contracts);

async function runConfiguration(mode: 'durable' | 'volatile'): Promise<FaultOutcome[]> {
  const redisArgs = mode === 'volatile' ? { extraArgs: VOLATILE_REDIS_ARGS } : {};
  const [postgres, redis] = await Promise.all([privatePostgresServer(), privateRedisServer(redisArgs)]);
  const stack = await startStack(`bench_faults_${mode}`, {
    contracts,
    redisUrl: redis.url,
    adminUrl: postgres.url,
    env: { WORKER_CONCURRENCY: String(concurrency), TASK_MAX_RETRIES: '2', TASK_RETRY_BACKOFF_MS: '1000', SUBMIT_RATE_LIMIT: '0' },
  });
  const outcomes: FaultOutcome[] = [];
  try {
    for (const [seq, fault] of FAULTS.entries()) {
      const target = { url: stack.url, databaseUrl: stack.database.url, redis, postgres, concurrency };
      const outcome = await runFault(target, fault, { tasks, seq, readyWithinMs: 30_000, followTimeoutMs: 120_000 });
      outcomes.push(outcome);
      console.error(`${mode} ${fault}: ${outcome.succeeded}/${outcome.submitted} succeeded`);
    }
  } finally {
    await stack.stop();
    await Promise.allSettled([redis.remove(), postgres.remove()]);
  }
  return outcomes;
}

const rows: string[] = [];
const lostMessages = new Map<string, { subscription: string; taskResult: string }>();
for (const mode of ['durable', 'volatile'] as const) {
  for (const o of await runConfiguration(mode)) {
    const ready = o.tasks.filter((t) => t.result.status === 'READY').length;
    const retried = o.tasks.filter((t) => (t.attempts ?? 0) >= 2).length;
    rows.push(
      `| ${mode} | ${o.fault} | ${o.submitted} (${o.runningAtFault} running, ${o.queuedAtFault} queued) | ${o.succeeded} | ${o.lost} | ${retried} | ${ready} | ${o.downMs} | ${o.readyMs ?? '> 30000'} |`,
    );
    const lost = o.tasks.find((t) => t.end !== 'SUCCESS');
    if (lost && !lostMessages.has(mode)) {
      lostMessages.set(mode, { subscription: `${JSON.stringify(lost.error?.extensions)} ${lost.error?.message}`, taskResult: `${lost.result.status}: ${lost.result.message}` });
    }
  }
}
console.log(`\n${tasks} tasks per fault, worker concurrency ${concurrency}, ${contracts} contracts; load average ${loadAverage(1)}\n`);
console.log('| Redis | fault | submitted | succeeded | lost | retried | results READY | service down (ms) | /ready 200 after (ms) |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
for (const [mode, m] of lostMessages) {
  console.log(`\nA lost task (${mode}), as its client sees it:\n  taskProgress error: ${m.subscription}\n  taskResult:         ${m.taskResult}`);
}
process.exit(0);
