import { appendFile, cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrate, MigrationChecksumError, MIGRATIONS_DIR } from '../../src/db/migrate.js';
import { ensureDatabase } from '../../src/db/pg.js';
import { createTestDatabase, unusedDatabase, withClient, type TestDatabase, type UnusedDatabase } from '../helpers/db.js';

/** The migrations of the repository, in the order they apply. */
const allMigrations = async () => (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();

const recorded = (url: string) =>
  withClient(url, async (c) => (await c.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name')).rows.map((r) => r.migration_name));

describe('migrate', () => {
  describe('when run on a database that did not exist', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase('migrate');
    });
    afterAll(async () => db?.drop());

    it('created it and installed pg_trgm', async () => {
      const rows = await db.prisma.$queryRaw<{ extname: string }[]>`SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`;
      expect(rows).toHaveLength(1);
    });

    describe('and run again', () => {
      it('applies nothing and keeps one record per migration in _prisma_migrations', async () => {
        const again = await migrate(db.url);
        expect(again).toEqual({ createdDatabase: false, applied: [] });
        const rows = await db.prisma.$queryRaw<{ migration_name: string; finished_at: Date | null; checksum: string }[]>`
          SELECT migration_name, finished_at, checksum FROM "_prisma_migrations" ORDER BY migration_name`;
        expect(rows.map((r) => r.migration_name)).toEqual(await allMigrations());
        for (const r of rows) {
          expect(r.finished_at).not.toBeNull();
          expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
        }
      });
    });
  });

  describe('when several runners start at once on an empty database', () => {
    let empty: UnusedDatabase;
    beforeAll(async () => {
      empty = unusedDatabase('migrate_concurrent');
      await ensureDatabase(empty.url); // created, with no table at all
    });
    afterAll(async () => empty?.drop());

    // Without the advisory lock the runners would apply the same migrations side by side
    // and all but one would fail (duplicate extension, type or table).
    it('serialises them: one applies every migration, the others nothing, none fails', async () => {
      const results = await Promise.all(Array.from({ length: 4 }, () => migrate(empty.url)));
      const migrations = await allMigrations();
      expect(results.map((r) => r.createdDatabase)).toEqual([false, false, false, false]);
      expect(results.map((r) => r.applied).sort((a, b) => b.length - a.length)).toEqual([migrations, [], [], []]);
      expect(await recorded(empty.url)).toEqual(migrations);
      const versions = await withClient(empty.url, async (c) => (await c.query('SELECT count(*)::int AS n FROM dataset_state')).rows[0].n);
      expect(versions).toBe(1);
    });
  });

  describe('when an applied migration was changed afterwards', () => {
    let fresh: UnusedDatabase;
    let dir: string;
    beforeAll(async () => {
      fresh = unusedDatabase('migrate_checksum');
      dir = await mkdtemp(path.join(os.tmpdir(), 'kontrata-migrations-'));
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      await migrate(fresh.url, dir);
    });
    afterEach(async () => {
      await cp(MIGRATIONS_DIR, dir, { recursive: true }); // back to the applied files
    });
    afterAll(async () => {
      await fresh?.drop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('refuses to run with MigrationChecksumError naming it, and applies nothing', async () => {
      const second = (await allMigrations())[1]!;
      const before = await recorded(fresh.url);
      await appendFile(path.join(dir, second, 'migration.sql'), '\n-- edited after it was applied\n');
      const err = await migrate(fresh.url, dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationChecksumError);
      expect(err).toMatchObject({ name: 'MigrationChecksumError', message: `Migration ${second} was modified after it was applied` });
      expect(await recorded(fresh.url)).toEqual(before);
    });

    it('applies a new migration after the unchanged ones', async () => {
      const name = '29991231000000_probe';
      const before = await recorded(fresh.url);
      await mkdir(path.join(dir, name));
      await writeFile(path.join(dir, name, 'migration.sql'), 'CREATE TABLE probe (id int);\n');
      try {
        expect(await migrate(fresh.url, dir)).toEqual({ createdDatabase: false, applied: [name] });
        expect(await recorded(fresh.url)).toEqual([...before, name]);
      } finally {
        await rm(path.join(dir, name), { recursive: true, force: true });
      }
    });
  });
});
