// schema.prisma says what the database is: every index of a freshly migrated database is
// declared in the schema, exactly (columns, order, operator class, access method, and what
// only the `// sql:` comments can say), and nothing the schema declares is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { indexDifferences, schemaIndexes, type IndexDefs } from './schema-indexes.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('schema_indexes');
});
afterAll(async () => db?.drop());

/** The indexes of the migrated database's tables (not the migration runner's own table). */
async function databaseIndexes(): Promise<IndexDefs> {
  // A partitioned table's index as the schema declares it (pg_indexes prints it "ON ONLY"),
  // and not its partitions' copies, which it adopted (the schema describes the table; its
  // partitions are commented there and checked by test/data/table-plan.test.ts). A
  // partition's index of its own still shows.
  const rows = await db.prisma.$queryRaw<{ indexname: string; indexdef: string }[]>`
    SELECT i.indexname, replace(i.indexdef, ' ON ONLY ', ' ON ') AS indexdef FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename <> '_prisma_migrations'
       AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = format('%I.%I', i.schemaname, i.indexname)::regclass)
     ORDER BY i.indexname`;
  return new Map(rows.map((r) => [r.indexname, r.indexdef]));
}

describe('schema.prisma', () => {
  describe('when compared with a freshly migrated database', () => {
    it('declares every index exactly as the migrations create it, and no other', async () => {
      const actual = await databaseIndexes();
      expect(indexDifferences(schemaIndexes(), actual)).toEqual([]);
      // Every kind of index the migrations use is covered (not an empty comparison).
      const defs = [...actual.values()].join('\n');
      for (const part of ['USING gin (name gin_trgm_ops)', 'contract_count DESC, name', 'DESC NULLS LAST', ') INCLUDE (', 'WHERE (grain = 0)', 'CREATE UNIQUE INDEX contracts_pkey']) {
        expect(defs).toContain(part);
      }
    });
  });

  describe('when a migration adds an index the schema does not declare', () => {
    it('names it', async () => {
      await db.prisma.$executeRawUnsafe('CREATE INDEX contracts_source_idx ON contracts (source)');
      try {
        expect(indexDifferences(schemaIndexes(), await databaseIndexes())).toEqual([
          'contracts_source_idx is in the database but not in schema.prisma: CREATE INDEX contracts_source_idx ON public.contracts USING btree (source)',
        ]);
      } finally {
        await db.prisma.$executeRawUnsafe('DROP INDEX contracts_source_idx');
      }
    });

    it("names a partition's index of its own, not the copies its table's indexes adopted", async () => {
      await db.prisma.$executeRawUnsafe('CREATE INDEX contract_search_p0_amount_idx ON contract_search_p0 (amount)');
      try {
        expect(indexDifferences(schemaIndexes(), await databaseIndexes())).toEqual([
          'contract_search_p0_amount_idx is in the database but not in schema.prisma: CREATE INDEX contract_search_p0_amount_idx ON public.contract_search_p0 USING btree (amount)',
        ]);
      } finally {
        await db.prisma.$executeRawUnsafe('DROP INDEX contract_search_p0_amount_idx');
      }
    });
  });
});
