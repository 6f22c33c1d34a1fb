// Applies prisma/migrations/<ts>_<name>/migration.sql in order and records each in
// Prisma's own `_prisma_migrations` table (same columns, same sha256 checksum), so
// `prisma migrate deploy` and this runner are interchangeable on one database.
// Prisma's schema engine is a binary download that this environment cannot fetch,
// hence a runner of our own.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { connectClient, ensureDatabase } from './pg.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

// Arbitrary constant: serialises concurrent runners (API, worker and tests starting together).
const ADVISORY_LOCK_KEY = 727_001;

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export type MigrationResult = { createdDatabase: boolean; applied: string[] };

/** Thrown when an applied migration's file changed since it was applied. */
export class MigrationChecksumError extends Error {
  override name = 'MigrationChecksumError';
}

/** The error of a role that may not apply pending migrations (insufficient_privilege). */
function readOnlyError(): Error {
  return new Error(
    'Migrations are pending and this database role may not apply them (read-only). ' +
      'Run `npm run db:migrate` with MIGRATION_DATABASE_URL set to the owner role first.',
  );
}

/** Whether every migration is applied, unchanged (read with SELECTs only). */
async function upToDate(client: pg.Client, migrations: { name: string; checksum: string }[]): Promise<boolean> {
  const { rows: exists } = await client.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
  if (!exists[0]?.t) return false;
  const { rows } = await client.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
  return migrations.every((m) => done.get(m.name) === m.checksum);
}

/** Lists migration directories in the order they apply. */
async function listMigrations(dir: string): Promise<{ name: string; sql: string; checksum: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/** Creates the database if needed and applies every pending migration; idempotent and safe to run concurrently. */
export async function migrate(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const createdDatabase = await ensureDatabase(databaseUrl);
  const migrations = await listMigrations(dir);
  const client = await connectClient(databaseUrl);
  const applied: string[] = [];
  try {
    // Up to date: nothing to write, so a read-only role (the API's and workers' DATABASE_URL
    // in a hardened deployment) passes without needing CREATE or the lock.
    if (await upToDate(client, migrations)) return { createdDatabase, applied };
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    await client.query(CREATE_TABLE).catch((err: { code?: string }) => {
      throw err.code === '42501' ? readOnlyError() : err;
    });
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations"
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    for (const m of migrations) {
      const previous = done.get(m.name);
      if (previous !== undefined) {
        if (previous !== m.checksum) {
          throw new MigrationChecksumError(`Migration ${m.name} was modified after it was applied`);
        }
        continue;
      }
      const id = randomUUID();
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [id, m.checksum, m.name],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        if ((err as { code?: string }).code === '42501') throw readOnlyError();
        throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(m.name);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => {});
    await client.end();
  }
  return { createdDatabase, applied };
}
