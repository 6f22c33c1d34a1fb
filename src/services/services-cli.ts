// `npm run services:start`: makes DATABASE_URL's PostgreSQL and REDIS_URL's Redis answer
// (starting local ones if needed), as `npm start` does first.
// `npm run services:stop`: stops what the project started, and nothing else.
import { ConfigError, loadConfig } from '../config.js';
import { describeServices, ensureServices, ServicesUnavailableError } from './ensure.js';
import { stopStartedServices } from './stop.js';

const command = process.argv[2];
try {
  if (command === 'start') {
    const config = loadConfig();
    console.log(describeServices(await ensureServices(config)).join('\n'));
  } else if (command === 'stop') {
    console.log((await stopStartedServices()).join('\n'));
  } else {
    console.error('usage: services-cli.ts start|stop');
    process.exitCode = 2;
  }
} catch (err) {
  const known = err instanceof ServicesUnavailableError || err instanceof ConfigError;
  console.error(known ? (err as Error).message : `services ${command} failed: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 1;
}
