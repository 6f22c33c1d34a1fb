// `npm start`: everything for a local try-out in one process tree. Checks PostgreSQL and
// Redis, applies migrations, loads demo data into an empty database, starts the API and
// one worker process, and prints the GraphiQL URL. Ctrl-C stops both.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { generateContracts } from './data/generate.js';
import { migrate } from './db/migrate.js';
import { describeDatabaseUrl } from './db/pg.js';
import { createLogger } from './logger.js';
import { checkServices } from './server/preflight.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEMO_SEED = 1;
const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

/** Whether the contracts table has no row at all (cheap: stops at the first row). */
async function isEmpty(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
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

async function loadDemoData(config: Config): Promise<void> {
  if (config.demoContracts === 0 || !(await isEmpty(config.migrationDatabaseUrl))) return;
  console.log(`The database is empty: generating ${config.demoContracts.toLocaleString('en')} demo contracts (seed ${DEMO_SEED})...`);
  let shown = -1;
  const { contracts, ms } = await generateContracts(config.migrationDatabaseUrl, {
    contracts: config.demoContracts,
    seed: DEMO_SEED,
    onProgress: ({ done, total, message }) => {
      // A line per 10% (a terminal or a log file, both stay readable).
      const percent = total > 0 ? Math.floor((10 * done) / total) * 10 : 0;
      if (percent === shown) return;
      shown = percent;
      console.log(`  ${String(percent).padStart(3)}%  ${message}`);
    },
  });
  console.log(`Generated ${contracts.toLocaleString('en')} contracts in ${(ms / 1000).toFixed(1)} s. (Real data: npm run db:import -- FILE...)`);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
  const problems = await checkServices(config);
  if (problems.length) {
    console.error(`Kontrata cannot start:\n\n${problems.join('\n\n')}\n`);
    process.exit(1);
  }
  const { createdDatabase, applied } = await migrate(config.migrationDatabaseUrl);
  if (createdDatabase) console.log(`Created database ${describeDatabaseUrl(config.databaseUrl)}`);
  if (applied.length) console.log(`Applied ${applied.length} migration(s)`);

  // The worker starts while demo data loads: its startup overlaps the generation.
  let stopping = false;
  const worker = spawnWorker();
  worker.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(
      `\nThe worker process exited (${signal ?? `code ${code}`}). Submitted tasks will wait in the queue until a worker runs: ` +
        'start one with `npm run worker`, or restart `npm start`.',
    );
  });

  const logger = createLogger({ level: config.logLevel, name: 'api' });
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  const app = buildApp(config, { logger });
  let url: string;
  try {
    await loadDemoData(config);
    ({ url } = await app.start());
  } catch (err) {
    // Never leave the worker running on its own.
    stopping = true;
    worker.kill('SIGTERM');
    await app.stop().catch(() => {});
    throw err;
  }
  console.log(`\nKontrata is ready after ${elapsed()}.\n  GraphiQL (open in a browser): ${url}\n  Health: ${url.replace(/\/graphql$/, '/ready')}\n  Ctrl-C stops the API and the worker.\n`);

  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the API and the worker...`);
    if (worker.exitCode === null && worker.signalCode === null) worker.kill(signal);
    const workerExited = new Promise<void>((resolve) => {
      if (worker.exitCode !== null || worker.signalCode !== null) resolve();
      else worker.once('exit', () => resolve());
    });
    await app.stop().catch((err: unknown) => logger.error({ err }, 'Error while stopping the API'));
    // The worker finishes running tasks within its grace period (SHUTDOWN_GRACE_SECONDS).
    const graceMs = (config.shutdownGraceSeconds + 5) * 1000;
    const timer = setTimeout(() => worker.kill('SIGKILL'), graceMs);
    await workerExited;
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`Kontrata could not start: ${(err as Error)?.stack ?? String(err)}`);
  process.exit(1);
});
