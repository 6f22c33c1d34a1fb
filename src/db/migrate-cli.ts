// `npm run db:migrate`: applies pending migrations to DATABASE_URL.
import { loadConfig } from '../config.js';
import { migrate } from './migrate.js';
import { describeDatabaseUrl } from './pg.js';

const config = loadConfig();
try {
  const { createdDatabase, applied } = await migrate(config.migrationDatabaseUrl);
  const where = describeDatabaseUrl(config.migrationDatabaseUrl);
  if (createdDatabase) console.log(`Created database ${where}`);
  console.log(applied.length ? `Applied ${applied.length} migration(s) to ${where}: ${applied.join(', ')}` : `${where} is up to date`);
} catch (err) {
  console.error(`Migration failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
