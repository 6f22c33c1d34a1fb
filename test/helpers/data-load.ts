// A data load reduced to its effect on the data version: what every import and seed does
// (bump under the data-load lock, telling the deployment's copy of the version in Redis),
// for tests about what a new version does to cached answers.
import pg from 'pg';
import { withDataLoadLock } from '../../src/data/lock.js';
import { BUMP_DATA_VERSION_SQL } from '../../src/db/dataset.js';
import { connectDataVersionNotifier } from '../../src/tasks/data-version.js';
import { TEST_REDIS_URL } from './db.js';

/** Bumps the data version of `databaseUrl` as a load does, notifying the deployment `prefix`. */
export async function bumpDataVersionAsALoad(databaseUrl: string, prefix: string, redisUrl = TEST_REDIS_URL): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const dataVersion = connectDataVersionNotifier(redisUrl, prefix);
  try {
    await withDataLoadLock(client, async () => {
      await client.query(BUMP_DATA_VERSION_SQL);
    }, undefined, dataVersion);
  } finally {
    await dataVersion.close();
    await client.end();
  }
}
