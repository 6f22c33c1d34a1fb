// Entry of a worker process (`npm run worker`; production runs several). SIGTERM/SIGINT:
// stop taking tasks, let running ones finish within SHUTDOWN_GRACE_SECONDS, exit 0;
// whatever could not finish goes back to the queue for another worker.
import { loadConfig, type Config } from '../src/config.js';
import { migrate } from '../src/db/migrate.js';
import { describeDatabaseUrl } from '../src/db/pg.js';
import { createPrisma } from '../src/db/prisma.js';
import { startMonthCells, stopMonthCells } from '../src/contracts/month-cells.js';
import { createLogger } from '../src/logger.js';
import { checkRedisDurability } from '../src/tasks/redis-durability.js';
import { startWorker, workerOptionsFromConfig } from './worker.js';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  console.error((err as Error).message); // names every bad variable
  process.exit(1);
}
const logger = createLogger({ level: config.logLevel, name: 'worker' });

async function start() {
  // Evicting Redis in production: refuse (logged); persistence off: one warning.
  if (!(await checkRedisDurability(config, logger))) process.exit(1);
  try {
    // Idempotent and serialised by an advisory lock, so a worker started before the API
    // (or alone) still finds its tables.
    await migrate(config.migrationDatabaseUrl);
    // Room for every running task plus the engine's cancel connections.
    const db = createPrisma(config.databaseUrl, { max: config.workerConcurrency * 2 + 2 });
    if (config.monthCells) startMonthCells(db, logger);
    const worker = await startWorker(workerOptionsFromConfig(config, db, logger));
    logger.info({ database: describeDatabaseUrl(config.databaseUrl), pid: process.pid }, 'worker process started');
    return { db, worker };
  } catch (err) {
    logger.fatal({ err, database: describeDatabaseUrl(config.databaseUrl) }, 'worker could not start');
    process.exit(1);
  }
}
const { db, worker } = await start();

let signalled = false;
async function shutdown(signal: string): Promise<void> {
  if (signalled) {
    logger.warn({ signal }, 'second signal: exiting now; running tasks will be recovered by another worker');
    process.exit(1);
  }
  signalled = true;
  logger.info({ signal, graceSeconds: config.shutdownGraceSeconds }, 'shutting down');
  // A load of the month cells under way may wait for a load's locks: cancelled, not left behind.
  await Promise.all([worker.stop(config.shutdownGraceSeconds * 1000), stopMonthCells(db)]);
  await db.$disconnect();
  process.exit(0);
}
process.on('SIGTERM', (s) => void shutdown(s));
process.on('SIGINT', (s) => void shutdown(s));
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
