// contract_search, the keyword table (prisma/migrations/20261207000000_contract_search), holds
// exactly one row per contract with its titles lower-cased, after every kind of load: a seed,
// an import that adds contracts, an import that changes one (title, amount, date, names),
// and a re-seed that replaces the generated ones. Keyword answers read it instead of the
// contracts, so a row missing, left over or out of date would be a wrong answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchRowOf } from '../../src/data/contract-search.js';
import { generateContracts } from '../../src/data/generate.js';
import { importAwardFiles } from '../../src/data/import.js';
import { searchContracts } from '../../src/contracts/index.js';
import { createPooledTestDatabase, type PooledTestDatabase } from '../helpers/db.js';
import { csvLine, EXPORT_HEADER, exportRow, removeCsvFiles, SAMPLE_CSV, writeCsv } from './csv.js';

let db: PooledTestDatabase;

beforeAll(async () => {
  db = await createPooledTestDatabase('data_contract_search', 2);
  await generateContracts(db.url, { contracts: 2000, seed: 3 });
}, 120_000);
afterAll(async () => {
  removeCsvFiles();
  await db?.drop();
});

/** Rows of contract_search that are not exactly what the contracts give, and contracts without theirs (0 and 0 when in step). */
async function drift(): Promise<{ stray: number; missing: number; contracts: number }> {
  const { rows } = await db.pool.query<{ stray: number; missing: number; contracts: number }>(`
    WITH truth AS (SELECT ${searchRowOf('c')} FROM contracts c)
    SELECT (SELECT count(*) FROM (SELECT * FROM contract_search EXCEPT ALL SELECT * FROM truth) x)::int AS stray,
           (SELECT count(*) FROM (SELECT * FROM truth EXCEPT ALL SELECT * FROM contract_search) x)::int AS missing,
           (SELECT count(*) FROM contracts)::int AS contracts`);
  return rows[0]!;
}

const keywordCount = async (keyword: string) =>
  (await searchContracts(db.prisma, { filters: { keywords: [keyword] }, pageSize: 1 })).pagination.totalCount;

describe('contract_search', () => {
  it('has one row per contract, titles lower-cased, after a seed', async () => {
    expect(await drift()).toEqual({ stray: 0, missing: 0, contracts: 2000 });
  });

  it('gains the rows of an import', async () => {
    const s = await importAwardFiles(db.url, [SAMPLE_CSV]);
    expect(s.contractsImported).toBe(144);
    expect(await drift()).toEqual({ stray: 0, missing: 0, contracts: 2144 });
  });

  it('follows an import that changes a contract, and the keyword answers with it', async () => {
    expect(await keywordCount('venue (kontrata corrected)')).toBe(0);
    const file = writeCsv('changed.csv', [
      EXPORT_HEADER.join(','),
      csvLine(exportRow({ 'Procuring Entity (PE)': 'CITY OF PARAÑAQUE', 'Award Reference No.': '5152009', 'Award Title': 'LEASE OF VENUE (KONTRATA CORRECTED)', 'Awardee Organization Name': 'A NEW AWARDEE', 'Award Date': '15/08/2024', 'Contract Amount': '2200000.00', 'Business Category': 'Lease and Rental of Property or Building', 'Area of Delivery': 'Metro Manila' })),
    ]);
    expect(await importAwardFiles(db.url, [file])).toMatchObject({ contractsUpdated: 1 });
    expect(await drift()).toEqual({ stray: 0, missing: 0, contracts: 2144 });
    expect(await keywordCount('venue (kontrata corrected)')).toBe(1);
    expect(await keywordCount('Venue (Kontrata')).toBe(1);
  });

  it('matches a keyword within either title, never across the two', async () => {
    const file = writeCsv('titles.csv', [
      EXPORT_HEADER.join(','),
      csvLine(exportRow({ 'Procuring Entity (PE)': 'CITY OF PARAÑAQUE', 'Award Reference No.': '9900001', 'Award Title': 'SUPPLY OF KONTRATA ZETA', 'Notice Title': 'OMEGA KONTRATA NOTICE', 'Awardee Organization Name': 'A NEW AWARDEE', 'Award Date': '02/09/2024', 'Contract Amount': '1000.00', 'Business Category': 'Lease and Rental of Property or Building', 'Area of Delivery': 'Metro Manila' })),
    ]);
    expect(await importAwardFiles(db.url, [file])).toMatchObject({ contractsImported: 1 });
    expect(await drift()).toEqual({ stray: 0, missing: 0, contracts: 2145 });
    expect(await keywordCount('kontrata zeta')).toBe(1); // the award title
    expect(await keywordCount('omega kontrata')).toBe(1); // the notice title
    // The end of one title and the start of the other are not one text, whatever joins them.
    expect(await keywordCount('zeta omega')).toBe(0);
    expect(await keywordCount('zetaomega')).toBe(0);
    expect(await keywordCount('zeta\u0001omega')).toBe(0);
    expect(await keywordCount('kontrata zeta && omega kontrata')).toBe(1);
  });

  it('keeps only the title that contains the other, with the same keyword answers', async () => {
    const row = (ref: string, award: string, notice: string) =>
      csvLine(exportRow({ 'Procuring Entity (PE)': 'CITY OF PARAÑAQUE', 'Award Reference No.': ref, 'Award Title': award, 'Notice Title': notice, 'Awardee Organization Name': 'A NEW AWARDEE', 'Award Date': '03/09/2024', 'Contract Amount': '1000.00', 'Business Category': 'Lease and Rental of Property or Building', 'Area of Delivery': 'Metro Manila' }));
    const file = writeCsv('contained.csv', [
      EXPORT_HEADER.join(','),
      row('9900002', 'KONTRATA THETA LOT 2', 'Construction of Kontrata Theta Lot 2 in Barangay Iota'), // award within the notice
      row('9900003', 'Repair of Kontrata Kappa Bridge, Phase 1', 'KONTRATA KAPPA BRIDGE'), // notice within the award
    ]);
    expect(await importAwardFiles(db.url, [file])).toMatchObject({ contractsImported: 2 });
    expect(await drift()).toEqual({ stray: 0, missing: 0, contracts: 2147 });
    const { rows } = await db.pool.query<{ search_text: string }>(
      `SELECT s.search_text FROM contract_search s JOIN contracts c USING (id) WHERE c.reference_id IN ('9900002', '9900003') ORDER BY c.reference_id`,
    );
    expect(rows.map((r) => r.search_text)).toEqual(['construction of kontrata theta lot 2 in barangay iota', 'repair of kontrata kappa bridge, phase 1']);
    expect(await keywordCount('kontrata theta lot 2')).toBe(1); // the whole award title
    expect(await keywordCount('Construction of KONTRATA theta')).toBe(1);
    expect(await keywordCount('lot 2 in barangay iota')).toBe(1);
    expect(await keywordCount('kontrata kappa bridge')).toBe(1); // the whole notice title
    expect(await keywordCount('repair of kontrata kappa')).toBe(1);
    expect(await keywordCount('bridge, phase 1')).toBe(1);
    expect(await keywordCount('phase 1\u0001kontrata')).toBe(0);
  });

  it('is replaced with the contracts by a re-seed, imported contracts kept', async () => {
    await generateContracts(db.url, { contracts: 1500, seed: 4 });
    expect(await drift()).toEqual({ stray: 0, missing: 0, contracts: 1647 });
    expect(await keywordCount('kontrata corrected')).toBe(1);
  });
});
