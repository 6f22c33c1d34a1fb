// vitest globalSetup: before any test file runs, make the test suite's PostgreSQL and Redis
// answer with the same module `npm start` uses (src/services): the configured servers if
// they run, else ones it starts on this machine (Docker, or private servers under ./var).
// The test helpers then read TEST_DATABASE_ADMIN_URL / TEST_REDIS_URL, set here for every
// test process: DATABASE_URL / REDIS_URL unless those two are set explicitly.
import { loadConfig } from '../src/config.js';
import { adminUrlOf } from '../src/db/pg.js';
import { describeServices, ensureServices, ServicesUnavailableError } from '../src/services/ensure.js';

export default async function setup(): Promise<void> {
  const config = loadConfig();
  const databaseUrl = process.env.TEST_DATABASE_ADMIN_URL || adminUrlOf(config.databaseUrl);
  const redisUrl = process.env.TEST_REDIS_URL || config.redisUrl;
  try {
    const reports = await ensureServices({ databaseUrl, redisUrl, nodeEnv: config.nodeEnv });
    if (reports.some((r) => r.state === 'started')) console.log(describeServices(reports).join('\n'));
  } catch (err) {
    if (err instanceof ServicesUnavailableError) throw new Error(`The tests need PostgreSQL and Redis:\n\n${err.message}\n`);
    throw err;
  }
  // Test processes are forked after global setup, with this environment.
  process.env.TEST_DATABASE_ADMIN_URL = databaseUrl;
  process.env.TEST_REDIS_URL = redisUrl;
}
