// `npm run db:rollups`: rebuilds the rollups (src/data/rollups.ts) of the contracts in
// DATABASE_URL for the current dataset version. Seeds and imports do this themselves; this
// is for a database whose rollups a migration marked stale (the engine answers from the
// contracts meanwhile: exact, slower). Holds the data-load lock, so it never interleaves
// with a seed or an import.
import type pg from 'pg';
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { connectClient, describeDatabaseUrl } from '../db/pg.js';
import { withDataLoadLock } from './lock.js';
import { refreshRollups } from './rollups.js';

const config = loadConfig();
const url = config.migrationDatabaseUrl;
let client: pg.Client | undefined;
let second: pg.Client | undefined;
try {
  await migrate(url);
  client = await connectClient(url);
  second = await connectClient(url); // builds the pair and amount rollups meanwhile
  const started = performance.now();
  console.log(`Rebuilding the rollups of ${describeDatabaseUrl(url)} ...`);
  const [session, other] = [client, second];
  await withDataLoadLock(session, () => refreshRollups(session, other), () => console.log('Waiting for a seed or import to finish ...'));
  console.log(`Rollups rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  console.error(`Rebuilding the rollups failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await client?.end().catch(() => {});
  await second?.end().catch(() => {});
}
