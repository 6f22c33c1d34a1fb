import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

describe('migrate', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('migrate');
  });
  afterAll(async () => db?.drop());

  describe('when run on a database that did not exist', () => {
    it('created it and installed pg_trgm', async () => {
      const rows = await db.prisma.$queryRaw<{ extname: string }[]>`SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`;
      expect(rows).toHaveLength(1);
    });
  });

  describe('when run again on a migrated database', () => {
    it('applies nothing and keeps one record per migration in _prisma_migrations', async () => {
      const again = await migrate(db.url);
      expect(again).toEqual({ createdDatabase: false, applied: [] });
      const rows = await db.prisma.$queryRaw<{ migration_name: string; finished_at: Date | null; checksum: string }[]>`
        SELECT migration_name, finished_at, checksum FROM "_prisma_migrations" ORDER BY migration_name`;
      expect(rows.map((r) => r.migration_name)).toContain('20261129000000_init');
      expect(new Set(rows.map((r) => r.migration_name)).size).toBe(rows.length);
      for (const r of rows) {
        expect(r.finished_at).not.toBeNull();
        expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      }
    });
  });

  describe('when run concurrently', () => {
    it('serialises the runners and leaves the schema intact', async () => {
      const results = await Promise.all([migrate(db.url), migrate(db.url), migrate(db.url)]);
      expect(results.every((r) => r.applied.length === 0)).toBe(true);
      const rows = await db.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM dataset_state`;
      expect(rows[0]?.n).toBe(1n);
    });
  });
});
