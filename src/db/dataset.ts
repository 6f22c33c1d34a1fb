// The dataset version: one number bumped by every import and seed. It is part of every
// task cache key, so new data never serves a stale cached result.
import { databaseCall } from './errors.js';
import type { Db } from './prisma.js';

/** Returns the current dataset version as a decimal string; ServiceUnavailableError when PostgreSQL does not answer. */
export async function getDataVersion(db: Db): Promise<string> {
  const row = await databaseCall(() => db.datasetState.findUnique({ where: { id: 1 }, select: { version: true } }));
  return (row?.version ?? 0n).toString();
}

/** SQL that bumps the version; run it inside the transaction that changed the data. */
export const BUMP_DATA_VERSION_SQL =
  'UPDATE dataset_state SET version = version + 1, updated_at = now() WHERE id = 1';
