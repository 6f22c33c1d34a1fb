// The one start-up sequence of an API process, shared by `npm run start:api` (src/index.ts)
// and `npm start` (src/start.ts): configuration, PostgreSQL and Redis (started locally if
// needed and allowed: src/services), migrations, whatever the entry runs beside the API,
// listen, and a clean stop on SIGTERM / SIGINT.
import { buildApp } from '../app.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { migrate } from '../db/migrate.js';
import { describeDatabaseUrl } from '../db/pg.js';
import { createLogger, type Logger } from '../logger.js';
import { describeServices, ensureServices, ServicesUnavailableError } from '../services/ensure.js';
import { checkRedisDurability } from '../tasks/redis-durability.js';

/** Something the entry runs beside the API (npm start: a worker process); stopped with it. */
export type Companion = { stop(signal: NodeJS.Signals): Promise<void> };

export type StartupOptions = {
  /** The logger's name. */
  loggerName: string;
  /** What the process is called in messages ("the API", "Kontrata"). */
  title: string;
  /** After migrations, before the API listens. Cleans up after itself if it throws. */
  prepare?: (ctx: { config: Config; logger: Logger }) => Promise<Companion | undefined>;
  /** Printed once the API listens. */
  readyMessage: (url: string) => string;
  /** Printed when a stop signal arrives. */
  stoppingMessage: (signal: NodeJS.Signals) => string;
};

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** Runs the API process until SIGTERM / SIGINT; exits the process with a clear message on any start-up failure. */
export async function runApiProcess(opts: StartupOptions): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    fail(err instanceof ConfigError ? err.message : String(err));
  }
  const logger = createLogger({ level: config.logLevel, name: opts.loggerName });
  // A backing service going away must not end the process; anything that slips through is logged loudly.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));

  try {
    const reports = await ensureServices(config);
    console.log(describeServices(reports).join('\n'));
  } catch (err) {
    if (err instanceof ServicesUnavailableError) fail(`${opts.title} cannot start:\n\n${err.message}\n`);
    throw err;
  }
  // Redis that loses tasks: one warning per setting; evicting in production: refuse (logged).
  if (!(await checkRedisDurability(config, logger))) process.exit(1);
  const { createdDatabase, applied } = await migrate(config.migrationDatabaseUrl);
  if (createdDatabase) console.log(`Created database ${describeDatabaseUrl(config.databaseUrl)}`);
  if (applied.length) console.log(`Applied ${applied.length} migration(s)`);

  const companion = await opts.prepare?.({ config, logger });
  const app = buildApp(config, { logger });
  let url: string;
  try {
    ({ url } = await app.start());
  } catch (err) {
    // Never leave a companion (the worker) running on its own.
    await Promise.allSettled([companion?.stop('SIGTERM'), app.stop()]);
    throw err;
  }
  logger.info({ url }, 'API listening');
  console.log(opts.readyMessage(url));

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(opts.stoppingMessage(signal));
    logger.info({ signal }, 'Stopping API');
    const [api] = await Promise.allSettled([app.stop(), companion?.stop(signal)]);
    if (api.status === 'rejected') {
      logger.error({ err: api.reason }, 'Error while stopping');
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Entry point helper: runs the sequence and turns an unexpected failure into one message and exit code 1. */
export function main(opts: StartupOptions): void {
  runApiProcess(opts).catch((err: unknown) => fail(`${opts.title} could not start: ${(err as Error)?.stack ?? String(err)}`));
}
