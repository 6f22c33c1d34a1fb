// `npm run start:api`: the API process alone (run several behind a load balancer in
// production; workers run separately with `npm run worker`).
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { migrate } from './db/migrate.js';
import { createLogger } from './logger.js';
import { checkServices } from './server/preflight.js';

let config;
try {
  config = loadConfig();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
const logger = createLogger({ level: config.logLevel, name: 'api' });
// A backing service going away must not end the process; anything that slips through is logged loudly.
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));

const problems = await checkServices(config);
if (problems.length) {
  console.error(`Cannot start the API:\n\n${problems.join('\n\n')}\n`);
  process.exit(1);
}
await migrate(config.migrationDatabaseUrl);
const app = buildApp(config, { logger });
const { url } = await app.start();
logger.info({ url }, 'API listening');
console.log(`Kontrata API ready: GraphQL and GraphiQL at ${url}`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Stopping API');
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'Error while stopping');
        process.exit(1);
      },
    );
  });
}
