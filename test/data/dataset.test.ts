// Dataset facts (the `dataset` query) kept current by import and seed: after every load
// they equal what SQL counts over contracts, and during an import every committed batch
// already agrees with the contracts it committed.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwardRecord } from '../../src/data/award-row.js';
import { AwardWriter } from '../../src/data/award-writer.js';
import { generateContracts } from '../../src/data/generate.js';
import { importAwardFiles } from '../../src/data/import.js';
import { getDatasetFacts, type DatasetFacts } from '../../src/db/dataset.js';
import { createPooledTestDatabase, type PooledTestDatabase } from '../helpers/db.js';
import { SAMPLE_CSV, removeCsvFiles } from './csv.js';

let db: PooledTestDatabase;

beforeAll(async () => {
  db = await createPooledTestDatabase('data_dataset', 3);
});
afterAll(async () => {
  removeCsvFiles();
  await db?.drop();
});

/** The facts as SQL counts them over contracts right now (what the stored row must equal). */
async function truth(): Promise<Omit<DatasetFacts, 'version' | 'updatedAt'>> {
  const { rows } = await db.pool.query(`
    SELECT count(*)::int AS contracts, count(*) FILTER (WHERE source = 'IMPORTED')::int AS "importedContracts",
           count(*) FILTER (WHERE source = 'GENERATED')::int AS "generatedContracts",
           to_char(min(award_date), 'YYYY-MM-DD') AS "firstAwardDate", to_char(max(award_date), 'YYYY-MM-DD') AS "lastAwardDate",
           COALESCE((SELECT array_agg(y ORDER BY y) FROM (SELECT DISTINCT extract(year FROM award_date)::int AS y FROM contracts) d), '{}') AS years
      FROM contracts`);
  return rows[0];
}

/** One statement (one snapshot): do the stored facts agree with the contracts? */
const AGREE_SQL = `
  SELECT d.imported_contracts = (SELECT count(*) FROM contracts WHERE source = 'IMPORTED')
     AND d.generated_contracts = (SELECT count(*) FROM contracts WHERE source = 'GENERATED')
     AND d.first_award_date IS NOT DISTINCT FROM (SELECT min(award_date) FROM contracts)
     AND d.last_award_date IS NOT DISTINCT FROM (SELECT max(award_date) FROM contracts)
     AND d.years = COALESCE((SELECT array_agg(y ORDER BY y) FROM (SELECT DISTINCT extract(year FROM award_date)::int AS y FROM contracts) x), '{}') AS agree
    FROM dataset_state d`;

describe('dataset facts', () => {
  describe('when the database is empty', () => {
    it('has no contracts, no dates and no years', async () => {
      expect(await getDatasetFacts(db.prisma)).toEqual({
        version: '1',
        updatedAt: expect.any(Date),
        contracts: 0,
        importedContracts: 0,
        generatedContracts: 0,
        firstAwardDate: null,
        lastAwardDate: null,
        years: [],
      });
    });
  });

  describe('when the real sample is imported', () => {
    it('counts the imported contracts, their date span and years, and moves version and updatedAt', async () => {
      const before = await getDatasetFacts(db.prisma);
      const snapshots: Promise<boolean>[] = [];
      await importAwardFiles(db.url, [SAMPLE_CSV], {
        batchSize: 10,
        // Called after each committed batch: the facts must already agree with the contracts.
        onProgress: () => snapshots.push(db.pool.query<{ agree: boolean }>(AGREE_SQL).then((r) => r.rows[0]!.agree)),
      });
      expect(snapshots.length).toBeGreaterThan(10);
      expect(await Promise.all(snapshots)).toEqual(snapshots.map(() => true));
      const after = await getDatasetFacts(db.prisma);
      expect(after).toEqual({
        version: expect.any(String),
        updatedAt: expect.any(Date),
        contracts: 144,
        importedContracts: 144,
        generatedContracts: 0,
        firstAwardDate: '2023-09-13',
        lastAwardDate: '2025-04-21',
        years: [2023, 2024, 2025],
      });
      expect(BigInt(after.version)).toBeGreaterThan(BigInt(before.version));
      expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
      expect(after).toMatchObject(await truth());
    });
  });

  describe('when generated contracts are seeded beside the imported ones', () => {
    it('counts both sources and widens the span to the generated years', async () => {
      const before = await getDatasetFacts(db.prisma);
      await generateContracts(db.url, { contracts: 500, seed: 3 });
      const after = await getDatasetFacts(db.prisma);
      expect(after).toMatchObject({ contracts: 644, importedContracts: 144, generatedContracts: 500 });
      expect(after).toMatchObject(await truth());
      expect(after.years[0]).toBeLessThan(2023); // generated dates start in 2013
      expect(BigInt(after.version)).toBeGreaterThan(BigInt(before.version));
    });
  });

  describe('when an import batch updates a generated contract', () => {
    it('moves it from generated to imported and widens the span in the batch transaction', async () => {
      const award = (referenceId: string, awardDate: string): AwardRecord => ({
        line: 2, referenceId, awardTitle: 'Catering', noticeTitle: null, contractor: 'EPSILON CORP.', organization: 'CITY OF GAMMA',
        area: null, businessCategory: 'Catering Services', procurementMode: null, classification: null, awardStatus: null,
        amount: '1000.00', approvedBudget: null, awardDate,
      });
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        // The writer alone (no end-of-import recount): the batch's own transaction keeps the facts.
        const result = await new AwardWriter(client).write([award('GEN-3-0000001', '2011-06-15'), award('NEW-0001', '2030-01-01')]);
        expect(result).toMatchObject({ inserted: 1, updated: 1 });
      } finally {
        await client.end();
      }
      expect((await db.pool.query<{ agree: boolean }>(AGREE_SQL)).rows[0]!.agree).toBe(true);
      const after = await getDatasetFacts(db.prisma);
      expect(after).toMatchObject({ contracts: 645, importedContracts: 146, generatedContracts: 499, firstAwardDate: '2011-06-15', lastAwardDate: '2030-01-01' });
      expect(after.years).toContain(2011);
      expect(after).toMatchObject(await truth());
    });
  });

  describe('when the generated contracts are removed by a seed of 0', () => {
    it('narrows the span back to what remains', async () => {
      await generateContracts(db.url, { contracts: 0 });
      const after = await getDatasetFacts(db.prisma);
      expect(after).toMatchObject({ contracts: 146, importedContracts: 146, generatedContracts: 0, firstAwardDate: '2011-06-15', lastAwardDate: '2030-01-01' });
      expect(after.years).toEqual([2011, 2023, 2024, 2025, 2030]);
      expect(after).toMatchObject(await truth());
    });
  });
});
