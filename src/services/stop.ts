// `npm run services:stop`: stops what the project started (the record in ./var), and only
// that. Data stays: the next `npm start` starts the same servers on the same data.
import { serviceName } from './endpoint.js';
import { composeStop } from './docker.js';
import { stopPostgres } from './postgres-server.js';
import { forgetStarted, PROJECT_VAR_DIR, readRecord, withServicesLock, type StartedService } from './record.js';
import { stopRedis } from './redis-server.js';

async function stopOne(entry: StartedService): Promise<boolean> {
  if (entry.how === 'docker') {
    await composeStop(entry.composeFile, [entry.service]);
    return true;
  }
  return entry.kind === 'postgres' ? stopPostgres(entry.dir) : stopRedis(entry.dir, entry.port);
}

/** Stops every service recorded in `varDir` and forgets it; one line per service. Throws if one could not be stopped. */
export async function stopStartedServices(varDir = PROJECT_VAR_DIR): Promise<string[]> {
  return withServicesLock(varDir, async () => {
    const lines: string[] = [];
    const errors: string[] = [];
    for (const entry of await readRecord(varDir)) {
      const what = `${serviceName(entry.kind)} at ${entry.address} (${entry.how === 'docker' ? `docker compose service ${entry.service}` : `private server, data in ${entry.dir}`})`;
      try {
        lines.push((await stopOne(entry)) ? `Stopped ${what}.` : `${what} was not running.`);
        await forgetStarted(varDir, entry);
      } catch (err) {
        errors.push(`Could not stop ${what}: ${(err as Error).message}`);
      }
    }
    if (errors.length) throw new Error([...lines, ...errors].join('\n'));
    if (!lines.length) lines.push('The project started no services here; nothing to stop.');
    return lines;
  });
}
