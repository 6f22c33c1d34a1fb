// The reading of schema.prisma's indexes that test/db/schema-indexes.test.ts compares with
// a migrated database: it must name every difference and refuse a `// sql:` comment that
// contradicts its @@index.
import { describe, expect, it } from 'vitest';
import { indexDifferences, schemaIndexes, withoutInexpressible } from './schema-indexes.js';

describe('schemaIndexes', () => {
  describe('when reading a schema', () => {
    it('renders @id, @unique and @@index (map, type, ops, sort, where, // sql:) as PostgreSQL prints them', () => {
      const schema = `model Thing {
  id    Int     @id @default(autoincrement())
  code  String  @unique @map("code_text")
  label String
  rank  Int?
  owner Owner   @relation(fields: [rank], references: [id])

  @@index([label(ops: raw("gin_trgm_ops"))], type: Gin, map: "things_label_trgm")
  // sql: (rank DESC NULLS LAST, label) INCLUDE (code_text)
  @@index([rank(sort: Desc), label], map: "things_rank")
  @@index([label], where: raw("rank IS NULL"))
  @@map("things")
}`;
      expect([...schemaIndexes(schema).values()]).toEqual([
        'CREATE UNIQUE INDEX things_pkey ON public.things USING btree (id)',
        'CREATE UNIQUE INDEX things_code_text_key ON public.things USING btree (code_text)',
        'CREATE INDEX things_label_trgm ON public.things USING gin (label gin_trgm_ops)',
        'CREATE INDEX things_rank ON public.things USING btree (rank DESC NULLS LAST, label) INCLUDE (code_text)',
        'CREATE INDEX things_label_idx ON public.things USING btree (label) WHERE (rank IS NULL)',
      ]);
    });
  });

  describe('when an index differs from its declaration', () => {
    it('names it, with both definitions', () => {
      const schema = 'CREATE INDEX areas_busiest ON public.areas USING btree (contract_count DESC, name)';
      const changed = new Map([['areas_busiest', 'CREATE INDEX areas_busiest ON public.areas USING btree (contract_count, name)']]);
      expect(indexDifferences(new Map([['areas_busiest', schema]]), changed)).toEqual([
        `areas_busiest differs:\n  schema.prisma: ${schema}\n  database:      CREATE INDEX areas_busiest ON public.areas USING btree (contract_count, name)`,
      ]);
    });
  });

  describe('when the schema declares an index the database lacks', () => {
    it('names it', () => {
      const schema = new Map([['t_a_idx', 'CREATE INDEX t_a_idx ON public.t USING btree (a)']]);
      expect(indexDifferences(schema, new Map())).toEqual(['t_a_idx is in schema.prisma but not in the database']);
    });
  });

  describe('when a `// sql:` comment disagrees with its @@index', () => {
    it('refuses the schema', () => {
      const schema = `model T {
  id Int @id
  a  Int
  // sql: (a DESC NULLS LAST)
  @@index([a], map: "t_a_idx")
}`;
      expect(() => schemaIndexes(schema)).toThrow('t_a_idx: "// sql: (a DESC NULLS LAST)" does not match its @@index, which says (a)');
    });
  });

  describe('when stripping a `// sql:` comment', () => {
    it('leaves what Prisma can say', () => {
      expect(withoutInexpressible('(a DESC NULLS LAST, b NULLS FIRST) INCLUDE (c, d) WHERE (a > 0)')).toBe('(a DESC, b) WHERE (a > 0)');
    });
  });
});
