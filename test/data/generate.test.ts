// The generator's contract with its callers: deterministic, replaces only generated
// rows, keeps the table's schema through the rebuild, and changes nothing when it fails.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateContracts } from '../../src/data/generate.js';
import { importAwardFiles } from '../../src/data/import.js';
import { ValidationError } from '../../src/errors.js';
import { ADMIN_URL, createPooledTestDatabase, type PooledTestDatabase } from '../helpers/db.js';
import { SAMPLE_CSV, csvLine, exportRow, EXPORT_HEADER, removeCsvFiles, writeCsv } from './csv.js';

let db: PooledTestDatabase;
const one = async <T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await db.pool.query<T>(sql, params)).rows[0]!;
const count = async (where = 'true') => (await one<{ n: number }>(`SELECT count(*)::int AS n FROM contracts WHERE ${where}`)).n;

/** A digest of every visible value of the contracts of one source (names, not ids, so it is independent of id assignment). */
const digest = async (source: 'GENERATED' | 'IMPORTED') =>
  (
    await one<{ h: string }>(
      `SELECT md5(string_agg(concat_ws('|', c.reference_id, c.award_title, c.notice_title, k.name, o.name, coalesce(a.name, '-'), b.name,
                  c.procurement_mode, c.classification, c.award_status, coalesce(c.amount::text, '-'), c.approved_budget::text, c.award_date::text),
                  E'\\n' ORDER BY c.reference_id)) AS h
         FROM contracts c JOIN contractors k ON k.id = c.contractor_id JOIN organizations o ON o.id = c.organization_id
         LEFT JOIN areas a ON a.id = c.area_id JOIN business_categories b ON b.id = c.business_category_id
        WHERE c.source = $1`,
      [source],
    )
  ).h;

/** Everything about contracts that the rebuild must carry over. */
const schemaOfContracts = async () => ({
  indexes: (await db.pool.query(`SELECT indexname, indexdef, obj_description(indexname::regclass, 'pg_class') AS comment FROM pg_indexes WHERE tablename = 'contracts' ORDER BY 1`)).rows,
  constraints: (await db.pool.query(`SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'contracts'::regclass ORDER BY 1`)).rows,
  columns: (await db.pool.query(`SELECT attname, atttypid::regtype::text AS type, attnotnull, attstattarget, pg_get_expr(d.adbin, d.adrelid) AS default
                                FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                               WHERE attrelid = 'contracts'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`)).rows,
  table: await one(`SELECT reloptions, relacl::text, obj_description(oid, 'pg_class') AS comment, pg_get_userbyid(relowner) AS owner FROM pg_class WHERE oid = 'contracts'::regclass`),
  sequence: (await one(`SELECT pg_get_serial_sequence('contracts', 'id') AS s`)).s,
});
const READER_ROLE = `kontrata_test_reader_${process.pid}`;

beforeAll(async () => {
  db = await createPooledTestDatabase('data_generate', 2);
});
afterAll(async () => {
  removeCsvFiles();
  await db?.drop();
  // Roles are cluster-wide: remove the one this file created (its grants went with the database).
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS ${READER_ROLE}`).finally(() => admin.end());
});

describe('generateContracts', () => {
  describe('when run twice with the same count and seed', () => {
    it('loads identical contracts, reference ids included', async () => {
      const progress: { done: number; total: number }[] = [];
      const first = await generateContracts(db.url, { contracts: 3000, seed: 7, onProgress: (p) => progress.push(p) });
      expect(first.contracts).toBe(3000);
      expect(progress.every((p, i) => i === 0 || p.done >= progress[i - 1]!.done)).toBe(true);
      expect(progress.at(-1)).toMatchObject({ done: 1000, total: 1000 });
      expect(await count("source = 'GENERATED'")).toBe(3000);
      expect(await one(`SELECT min(reference_id) AS lo, max(reference_id) AS hi FROM contracts`)).toEqual({ lo: 'GEN-7-0000001', hi: 'GEN-7-0003000' });
      const hash = await digest('GENERATED');
      await generateContracts(db.url, { contracts: 3000, seed: 7 });
      expect(await count()).toBe(3000);
      expect(await digest('GENERATED')).toBe(hash);
    });
  });

  describe('when it has loaded', () => {
    it('leaves every new table analyzed and the contracts and keyword table vacuumed (index-only scans)', async () => {
      await generateContracts(db.url, { contracts: 3000, seed: 7 });
      const tables = ['contracts', 'contract_search_p0', 'contract_search_p1', 'contract_daily_totals', 'contract_dimension_totals',
        'contract_category_pair_totals', 'contract_amount_totals', 'contractors', 'organizations', 'areas', 'business_categories'];
      // The statistics of a table swapped in (renamed) are those it was given as the staging table.
      const { rows } = await db.pool.query<{ relname: string; analyzed: boolean; vacuumed: boolean; pages: number; visible: number }>(
        `SELECT c.relname, s.last_analyze IS NOT NULL AS analyzed, s.last_vacuum IS NOT NULL AS vacuumed, c.relpages AS pages, c.relallvisible AS visible
           FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname = ANY($1) ORDER BY 1`,
        [tables],
      );
      expect(rows.map((r) => r.relname)).toEqual([...tables].sort());
      for (const r of rows) expect({ table: r.relname, analyzed: r.analyzed }).toEqual({ table: r.relname, analyzed: true });
      for (const r of rows.filter((r) => ['contracts', 'contract_search_p0', 'contract_search_p1'].includes(r.relname))) {
        expect({ table: r.relname, vacuumed: r.vacuumed, allVisible: r.pages > 0 && r.visible === r.pages }).toEqual({ table: r.relname, vacuumed: true, allVisible: true });
      }
    });
  });

  describe('when the seed differs', () => {
    it('loads different contracts', async () => {
      const seven = await digest('GENERATED');
      await generateContracts(db.url, { contracts: 3000, seed: 8 });
      expect(await count()).toBe(3000);
      expect(await digest('GENERATED')).not.toBe(seven);
      expect(await count(`reference_id LIKE 'GEN-8-%'`)).toBe(3000);
    });
  });

  describe('when imported contracts exist', () => {
    it('replaces only the generated ones', async () => {
      await importAwardFiles(db.url, [SAMPLE_CSV]);
      const imported = await digest('IMPORTED');
      await generateContracts(db.url, { contracts: 2000, seed: 1 });
      expect(await count()).toBe(2144);
      expect(await count("source = 'IMPORTED'")).toBe(144);
      expect(await digest('IMPORTED')).toBe(imported);
      await generateContracts(db.url, { contracts: 500, seed: 1 });
      expect(await count()).toBe(644);
      expect(await digest('IMPORTED')).toBe(imported);
      await generateContracts(db.url, { contracts: 0 });
      expect(await count()).toBe(144);
      expect(await digest('IMPORTED')).toBe(imported);
      await generateContracts(db.url, { contracts: 500, seed: 1 });
    });

    it('keeps the dimension counters equal to the contracts and drops unused names', async () => {
      for (const [table, column] of [['contractors', 'contractor_id'], ['organizations', 'organization_id'], ['areas', 'area_id'], ['business_categories', 'business_category_id']]) {
        const c = await one(`SELECT count(*)::int AS n, coalesce(sum(amount), 0)::text AS total FROM contracts WHERE ${column} IS NOT NULL`);
        const d = await one(`SELECT sum(contract_count)::int AS n, sum(total_value)::text AS total, count(*) FILTER (WHERE contract_count = 0)::int AS unused FROM ${table}`);
        expect({ table, ...d }).toEqual({ table, n: c.n, total: c.total, unused: 0 });
      }
    });
  });

  describe('when the table is rebuilt', () => {
    it('keeps its indexes, constraints, settings, grants, comments and id sequence, and later inserts still work', async () => {
      await db.pool.query(`CREATE ROLE ${READER_ROLE}`);
      await db.pool.query(`GRANT SELECT ON contracts TO ${READER_ROLE}`);
      await db.pool.query(`ALTER TABLE contracts SET (autovacuum_vacuum_scale_factor = 0.05)`);
      await db.pool.query(`ALTER TABLE contracts ALTER COLUMN award_title SET STATISTICS 500`);
      await db.pool.query(`COMMENT ON TABLE contracts IS 'PhilGEPS awards'`);
      await db.pool.query(`COMMENT ON INDEX contracts_pkey IS 'primary key'`);
      const before = await schemaOfContracts();
      expect(before.indexes.length).toBeGreaterThanOrEqual(9);
      const searchIndexes = async () => (await db.pool.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'contract_search' ORDER BY 1`)).rows;
      const searchBefore = await searchIndexes();
      expect(searchBefore.map((r) => r.indexname)).toEqual(['contract_search_award_date_idx', 'contract_search_pkey', 'contract_search_search_text_trgm']);
      // The keyword text's statistics target (20261209000100_search_text_statistics).
      const searchTextTarget = async () =>
        (await one<{ t: number }>(`SELECT attstattarget AS t FROM pg_attribute WHERE attrelid = 'contract_search'::regclass AND attname = 'search_text'`)).t;
      expect(await searchTextTarget()).toBe(500);
      // Its halves (20261210000000_contract_search_partitions): bounds, settings, statistics
      // targets, and indexes and constraints adopted by the table's own.
      const halves = async () =>
        (
          await db.pool.query(`
            SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound, c.reloptions,
                   (SELECT attstattarget FROM pg_attribute WHERE attrelid = c.oid AND attname = 'search_text') AS target,
                   (SELECT json_agg(json_build_object('index', ci.relname, 'def', pg_get_indexdef(x.indexrelid),
                                                      'of', (SELECT inhparent::regclass::text FROM pg_inherits WHERE inhrelid = x.indexrelid)) ORDER BY ci.relname)
                      FROM pg_index x JOIN pg_class ci ON ci.oid = x.indexrelid WHERE x.indrelid = c.oid) AS indexes,
                   (SELECT json_agg(json_build_object('constraint', k.conname, 'of', (SELECT conname FROM pg_constraint WHERE oid = k.conparentid)) ORDER BY k.conname)
                      FROM pg_constraint k WHERE k.conrelid = c.oid) AS constraints
              FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'contract_search'::regclass ORDER BY c.relname`)
        ).rows;
      const halvesBefore = await halves();
      expect(halvesBefore.map((h) => [h.relname, h.bound, h.reloptions, h.target])).toEqual([
        ['contract_search_p0', 'FOR VALUES WITH (modulus 2, remainder 0)', ['parallel_workers=0'], 500],
        ['contract_search_p1', 'FOR VALUES WITH (modulus 2, remainder 1)', ['parallel_workers=0'], 500],
      ]);
      expect(halvesBefore[0].indexes.map((x: { index: string; of: string }) => [x.index, x.of])).toEqual([
        ['contract_search_p0_award_date_idx', 'contract_search_award_date_idx'],
        ['contract_search_p0_pkey', 'contract_search_pkey'],
        ['contract_search_p0_search_text_trgm', 'contract_search_search_text_trgm'],
      ]);
      expect(halvesBefore[1].constraints).toEqual([{ constraint: 'contract_search_p1_pkey', of: 'contract_search_pkey' }]);
      await generateContracts(db.url, { contracts: 1000, seed: 2 });
      expect(await schemaOfContracts()).toEqual(before);
      expect(await searchIndexes()).toEqual(searchBefore); // the keyword table is rebuilt and swapped in with the contracts
      expect(await searchTextTarget()).toBe(500);
      expect(await halves()).toEqual(halvesBefore);
      // Every contract's row is in one half, and each half holds some.
      const perHalf = (
        await db.pool.query<{ half: string; n: number }>(`SELECT tableoid::regclass::text AS half, count(*)::int AS n FROM contract_search GROUP BY 1 ORDER BY 1`)
      ).rows;
      expect(perHalf.map((h) => h.half)).toEqual(['contract_search_p0', 'contract_search_p1']);
      expect(perHalf.every((h) => h.n > 300)).toBe(true);
      expect(perHalf.reduce((sum, h) => sum + h.n, 0)).toBe((await one<{ n: number }>('SELECT count(*)::int AS n FROM contracts')).n);
      const maxId = (await one<{ m: string }>('SELECT max(id)::text AS m FROM contracts')).m;
      const file = writeCsv('after-swap.csv', [
        EXPORT_HEADER.join(','),
        csvLine(exportRow({ 'Procuring Entity (PE)': 'CITY OF ZETA', 'Award Reference No.': 'AFTER-1', 'Award Title': 'Catering', 'Awardee Organization Name': 'ETA FOODS', 'Award Date': '01/12/2024', 'Contract Amount': '100.00', 'Business Category': 'Catering Services' })),
      ]);
      expect((await importAwardFiles(db.url, [file])).contractsImported).toBe(1);
      expect(BigInt((await one<{ id: string }>(`SELECT id::text FROM contracts WHERE reference_id = 'AFTER-1'`)).id)).toBeGreaterThan(BigInt(maxId));
    });

    it('bumps the dataset version', async () => {
      const v = async () => BigInt((await one<{ v: string }>('SELECT version::text AS v FROM dataset_state')).v);
      const before = await v();
      await generateContracts(db.url, { contracts: 100, seed: 3 });
      expect(await v()).toBeGreaterThan(before);
    });
  });

  describe('when the load fails', () => {
    it('leaves the contracts as they were and no staging table behind', async () => {
      // An imported award whose number collides with a generated reference id makes the
      // unique index build fail after all rows were copied: the worst moment to fail.
      const file = writeCsv('collision.csv', [
        EXPORT_HEADER.join(','),
        csvLine(exportRow({ 'Procuring Entity (PE)': 'CITY OF ZETA', 'Award Reference No.': 'GEN-9-0000005', 'Award Title': 'Catering', 'Awardee Organization Name': 'ETA FOODS', 'Award Date': '01/12/2024', 'Business Category': 'Catering Services' })),
      ]);
      await importAwardFiles(db.url, [file]);
      const generated = await digest('GENERATED');
      const imported = await digest('IMPORTED');
      const total = await count();
      await expect(generateContracts(db.url, { contracts: 100, seed: 9 })).rejects.toThrow(/duplicate key|could not create unique index/);
      expect(await count()).toBe(total);
      expect(await digest('GENERATED')).toBe(generated);
      expect(await digest('IMPORTED')).toBe(imported);
      expect((await one(`SELECT to_regclass('contracts_staging') AS t`)).t).toBeNull();
    });
  });

  describe('when the options are invalid', () => {
    it.each([
      [{ contracts: -1 }, 'contracts'],
      [{ contracts: 1.5 }, 'contracts'],
      [{ contracts: 100_000_000 }, 'contracts'],
      [{ contracts: 10, seed: -3 }, 'seed'],
    ])('rejects %j naming the field', async (opts, field) => {
      const err = await generateContracts(db.url, opts).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
    });
  });
});
