// `npm start`: everything for a local try-out in one process tree. Makes PostgreSQL and
// Redis answer (starting private ones under ./var if nothing runs: src/services), applies
// migrations, loads demo data into an empty database (or rebuilds stale rollups of an
// existing one), starts the API and one worker process, and prints the GraphiQL URL. Ctrl-C
// stops the API and the worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import { connectClient } from './db/pg.js';
import { generateContracts } from './data/generate.js';
import { withDataLoadLock } from './data/lock.js';
import { refreshRollups, rollupsCurrent } from './data/rollups.js';
import { connectDataVersionNotifier } from './tasks/data-version.js';
import { main, type Companion } from './server/startup.js';
import { ensureWebBuild } from './server/web-build.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEMO_SEED = 1;
const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

/** Whether the contracts table has no row at all (cheap: stops at the first row). */
async function isEmpty(databaseUrl: string): Promise<boolean> {
  const client = await connectClient(databaseUrl);
  try {
    const { rows } = await client.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM contracts) AS any');
    return !rows[0]?.any;
  } finally {
    await client.end();
  }
}

/**
 * Spawns `npm run worker` (same node, tsx loader) with this process's environment. It gets
 * its own process group, so Ctrl-C in a terminal reaches it once, forwarded by us, and its
 * graceful shutdown is not cut short by a second SIGINT.
 */
function spawnWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/index.ts'], { cwd: ROOT, stdio: 'inherit', env: process.env, detached: true });
  // Whatever way this process ends, the worker does not outlive it.
  process.once('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
  return child;
}

/**
 * Rebuilds rollups that a migration marked stale (npm run db:rollups does the same): until
 * then every answer would come from the contracts, exact but slow. Waits for a load that
 * holds the data-load lock (an import in progress invalidates them too, and rebuilds them).
 */
async function refreshStaleRollups(databaseUrl: string): Promise<void> {
  const client = await connectClient(databaseUrl);
  try {
    if (await rollupsCurrent(client)) return;
    const started = performance.now();
    console.log('The rollups do not describe the current data (an upgrade changed what they hold): rebuilding them...');
    await withDataLoadLock(client, async () => {
      if (!(await rollupsCurrent(client))) await refreshRollups(client);
    });
    console.log(`Rollups rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await client.end();
  }
}

async function loadDemoData(config: Config): Promise<void> {
  if (!(await isEmpty(config.migrationDatabaseUrl))) return refreshStaleRollups(config.migrationDatabaseUrl);
  if (config.demoContracts === 0) return;
  console.log(`The database is empty: generating ${config.demoContracts.toLocaleString('en')} demo contracts (seed ${DEMO_SEED})...`);
  let shown = -1;
  // Redis may still hold the data version of an earlier database under this QUEUE_PREFIX.
  const dataVersion = connectDataVersionNotifier(config.redisUrl, config.queuePrefix);
  const { contracts, ms } = await generateContracts(config.migrationDatabaseUrl, {
    contracts: config.demoContracts,
    seed: DEMO_SEED,
    dataVersion,
    onProgress: ({ done, total, message }) => {
      // A line per 10% (a terminal or a log file, both stay readable).
      const percent = total > 0 ? Math.floor((10 * done) / total) * 10 : 0;
      if (percent === shown) return;
      shown = percent;
      console.log(`  ${String(percent).padStart(3)}%  ${message}`);
    },
  }).finally(() => dataVersion.close());
  console.log(`Generated ${contracts.toLocaleString('en')} contracts in ${(ms / 1000).toFixed(1)} s. (Real data: npm run db:import -- FILE...)`);
}

/** The worker process beside the API; stopping forwards the signal and waits out its grace period. */
function startWorker(config: Config): Companion {
  let stopping = false;
  const worker = spawnWorker();
  worker.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(
      `\nThe worker process exited (${signal ?? `code ${code}`}). Submitted tasks will wait in the queue until a worker runs: ` +
        'start one with `npm run worker`, or restart `npm start`.',
    );
  });
  return {
    async stop(signal) {
      stopping = true;
      if (worker.exitCode !== null || worker.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.kill(signal);
      // The worker finishes running tasks within its grace period (SHUTDOWN_GRACE_SECONDS).
      const timer = setTimeout(() => worker.kill('SIGKILL'), (config.shutdownGraceSeconds + 5) * 1000);
      await exited;
      clearTimeout(timer);
    },
  };
}

main({
  loggerName: 'api',
  title: 'Kontrata',
  async prepare({ config }) {
    await ensureWebBuild(); // the dashboard at /, built when missing or stale
    // The worker starts while demo data loads: its startup overlaps the generation.
    const worker = startWorker(config);
    try {
      await loadDemoData(config);
    } catch (err) {
      await worker.stop('SIGTERM');
      throw err;
    }
    return worker;
  },
  readyMessage: (url) =>
    `\nKontrata is ready after ${elapsed()}.\n  Dashboard (open in a browser): ${url.replace(/\/graphql$/, '/')}\n  GraphiQL: ${url}\n  Health: ${url.replace(/\/graphql$/, '/ready')}\n  Ctrl-C stops the API and the worker.\n`,
  stoppingMessage: (signal) => `\n${signal}: stopping the API and the worker...`,
});
