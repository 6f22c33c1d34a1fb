// The importer against the real 200-row PhilGEPS sample (expected numbers computed
// independently from the CSV with Python's csv module) and hand-written edge cases.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFileError, importAwardFiles } from '../../src/data/import.js';
import { DATA_LOAD_LOCK_KEY } from '../../src/data/lock.js';
import { createPooledTestDatabase, type PooledTestDatabase } from '../helpers/db.js';
import { SAMPLE_CSV, csvLine, exportRow, EXPORT_HEADER, removeCsvFiles, writeCsv } from './csv.js';

let db: PooledTestDatabase;
const one = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await db.pool.query<T>(sql, params)).rows[0]!;
const contract = (ref: string) =>
  one<Record<string, unknown>>(
    `SELECT c.reference_id, c.award_title, c.notice_title, k.name AS contractor, o.name AS organization, a.name AS area,
            b.name AS category, c.procurement_mode, c.classification, c.award_status, c.amount::text, c.approved_budget::text,
            to_char(c.award_date, 'YYYY-MM-DD') AS award_date, c.source::text
       FROM contracts c JOIN contractors k ON k.id = c.contractor_id JOIN organizations o ON o.id = c.organization_id
       LEFT JOIN areas a ON a.id = c.area_id JOIN business_categories b ON b.id = c.business_category_id
      WHERE c.reference_id = $1`,
    [ref],
  );
const version = async () => (await one<{ v: string }>('SELECT version::text AS v FROM dataset_state')).v;

beforeAll(async () => {
  db = await createPooledTestDatabase('data_import', 2);
});
afterAll(async () => {
  removeCsvFiles();
  await db?.drop();
});

describe('importAwardFiles', () => {
  describe('when importing the real 200-row sample', () => {
    it('reads every row, imports one contract per award and skips the unawarded rows', async () => {
      const before = await version();
      const progress: { bytesRead: number; totalBytes: number }[] = [];
      const s = await importAwardFiles(db.url, [SAMPLE_CSV], { onProgress: (p) => progress.push(p) });
      expect(progress.at(-1)).toMatchObject({ bytesRead: 159_223, totalBytes: 159_223, rowsRead: 200 });
      expect(s).toMatchObject({
        files: 1,
        rowsRead: 200,
        contractsImported: 144,
        contractsUpdated: 0,
        contractsUnchanged: 0,
        lineItemRows: 0,
        rowsSkipped: { noAwardReference: 56, noAwardee: 0, noAwardDate: 0, malformed: 0 },
        malformed: [],
      });
      expect(BigInt(await version())).toBeGreaterThan(BigInt(before));
    });

    it('stores the totals of the file', async () => {
      const t = await one(`SELECT count(*)::int AS n, sum(amount)::text AS amount, sum(approved_budget)::text AS budget,
                                  count(*) FILTER (WHERE amount IS NULL)::int AS no_amount, count(*) FILTER (WHERE area_id IS NULL)::int AS no_area,
                                  min(award_date)::text AS first, max(award_date)::text AS last,
                                  count(*) FILTER (WHERE source = 'IMPORTED')::int AS imported FROM contracts`);
      expect(t).toEqual({ n: 144, amount: '5459205732.03', budget: '15424309007.67', no_amount: 3, no_area: 13, first: '2023-09-13', last: '2025-04-21', imported: 144 });
      const dims = await one(`SELECT (SELECT count(*) FROM contractors)::int AS contractors, (SELECT count(*) FROM organizations)::int AS organizations,
                                     (SELECT count(*) FROM areas)::int AS areas, (SELECT count(*) FROM business_categories)::int AS categories`);
      expect(dims).toEqual({ contractors: 137, organizations: 120, areas: 52, categories: 49 });
    });

    it('keeps non-ASCII names and titles, and maps every column', async () => {
      expect(await contract('5359553')).toEqual({
        reference_id: '5359553',
        award_title: '25HB0019',
        notice_title:
          '25HB0019 ORGANIZATIONAL OUTCOME 2 Protect Lives and Properties Against Major Floods – Flood Management Program – Construction/Maintenance of Flood Mitigation Structures and Drainage System – Construc',
        contractor: 'MUAÑA CONSTRUCTION AND DEVELOPMENT CORP.',
        organization: 'DEPARTMENT OF PUBLIC WORKS AND HIGHWAYS - BOHOL 3RD DEO',
        area: 'Bohol',
        category: 'Construction Projects',
        procurement_mode: 'Public Bidding',
        classification: 'Civil Works',
        award_status: 'Updated',
        amount: '87868653.68',
        approved_budget: '87933695.00',
        award_date: '2025-02-07',
        source: 'IMPORTED',
      });
      expect(await contract('5152009')).toMatchObject({ organization: 'CITY OF PARAÑAQUE', amount: '2250000.00', award_date: '2024-08-14', area: 'Metro Manila' });
      expect(await contract('5118190')).toMatchObject({ award_title: 'Improvement of Child Development Center/Daycare at Sto. Niño Barangay Baluarte', amount: '698886.44' });
    });

    it('stores a missing amount as null and a quoted awardee with commas intact', async () => {
      expect(await contract('5268921')).toMatchObject({ amount: null, approved_budget: '16531818.29', award_date: '2024-12-26' });
      expect(await contract('5136945')).toMatchObject({ contractor: 'GOLDEN BAT ( FAR EAST ), INC.', amount: '35250.00' });
    });

    it('trims names and collapses inner whitespace, merging spelling variants', async () => {
      expect(await contract('5257885')).toMatchObject({ contractor: 'ALMONT HOTEL, INC.' });
      const org = await one(`SELECT contract_count, total_value::text FROM organizations WHERE name = 'CITY OF LA CARLOTA, NEGROS OCCIDENTAL'`);
      expect(org.contract_count).toBe(2); // 'CITY  OF LA CARLOTA, ...' on both rows
    });

    it('refreshes the dimension counters', async () => {
      expect(await one(`SELECT contract_count, total_value::text AS total FROM business_categories WHERE name = 'Construction Projects'`)).toEqual({
        contract_count: 7,
        total: '96910763.83',
      });
      expect(await one(`SELECT contract_count FROM organizations WHERE name = 'MUNICIPALITY OF TAGOLOAN, MISAMIS ORIENTAL'`)).toEqual({ contract_count: 7 });
    });
  });

  describe('when the same file is imported again', () => {
    it('adds and changes nothing, and keeps the data version', async () => {
      const before = await version();
      const s = await importAwardFiles(db.url, [SAMPLE_CSV]);
      expect(s).toMatchObject({ rowsRead: 200, contractsImported: 0, contractsUpdated: 0, contractsUnchanged: 144 });
      expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM contracts')).n).toBe(144);
      expect(await version()).toBe(before);
    });

    it('updates an award whose values changed', async () => {
      const file = writeCsv('changed.csv', [
        EXPORT_HEADER.join(','),
        csvLine(exportRow({ 'Procuring Entity (PE)': 'CITY OF PARAÑAQUE', 'Award Reference No.': '5152009', 'Award Title': 'Lease of Venue (corrected)', 'Awardee Organization Name': 'CANYON COVE HOTEL AND SPA INC', 'Award Date': '14/08/2024', 'Contract Amount': '2200000.00', 'Business Category': 'Lease and Rental of Property or Building', 'Area of Delivery': 'Metro Manila' })),
      ]);
      const s = await importAwardFiles(db.url, [file]);
      expect(s).toMatchObject({ contractsImported: 0, contractsUpdated: 1, contractsUnchanged: 0 });
      expect(await contract('5152009')).toMatchObject({ award_title: 'Lease of Venue (corrected)', amount: '2200000.00', notice_title: null });
    });
  });

  describe('when an award has several line items', () => {
    it('imports one contract with the award amount, not the sum of its rows', async () => {
      const award = { 'Procuring Entity (PE)': 'MUNICIPALITY OF ALPHA', 'Award Reference No.': 'T-100', 'Award Title': 'Supply of office supplies', 'Awardee Organization Name': 'BETA TRADING', 'Award Date': '02/12/2024', 'Contract Amount': '300000.00', 'Business Category': 'Office Supplies and Devices' };
      const file = writeCsv('line-items.csv', [
        EXPORT_HEADER.join(','),
        csvLine(exportRow({ ...award, 'Line Item No': '1', 'Item Name': 'Bond paper', 'Item Budget': '100000.00' })),
        csvLine(exportRow({ ...award, 'Line Item No': '2', 'Item Name': 'Ballpen', 'Item Budget': '120000.00' })),
        csvLine(exportRow({ ...award, 'Line Item No': '3', 'Item Name': 'Stapler', 'Item Budget': '80000.00' })),
        csvLine(exportRow({ ...award, 'Award Reference No.': 'T-101', 'Contract Amount': '5000.00' })),
        // The same award again, not adjacent: the upsert makes it harmless.
        csvLine(exportRow({ ...award, 'Line Item No': '4' })),
      ]);
      const s = await importAwardFiles(db.url, [file], { batchSize: 1 });
      expect(s).toMatchObject({ rowsRead: 5, contractsImported: 2, contractsUpdated: 0, contractsUnchanged: 1, lineItemRows: 2 });
      expect(await contract('T-100')).toMatchObject({ amount: '300000.00', award_date: '2024-12-02', area: null, organization: 'MUNICIPALITY OF ALPHA' });
    });
  });

  describe('when a file uses the older column names', () => {
    it('matches the columns by name, in any order, with a BOM', async () => {
      const header = ['Awardee Corporate Title', 'Award No.', 'Reference ID', 'Organization Name', 'Business Category', 'Award Title', 'Notice Title', 'Contract Amount', 'Approved Budget of the Contract', 'Publish Date(Award)', 'Award Date', 'Area of Delivery', 'Procurement Mode'];
      const file = writeCsv('old-format.csv', [
        header.join(','),
        csvLine(['DELTA BUILDERS', 'OLD-1', '12345', 'PROVINCE OF ILOCOS NORTE', 'Construction Projects', 'Concreting of barangay road', 'Concreting of barangay road, Phase 2', '1500000.50', '1600000', '05/03/2016', '01/03/2016', 'Ilocos Norte', 'Public Bidding']),
        csvLine(['NULL', 'NULL', '12346', 'PROVINCE OF ILOCOS NORTE', 'Construction Projects', 'NULL', 'Unawarded notice', 'NULL', '90000', 'NULL', 'NULL', 'Ilocos Norte', 'Public Bidding']),
      ], '\r\n', '\uFEFF');
      const s = await importAwardFiles(db.url, [file]);
      expect(s).toMatchObject({ rowsRead: 2, contractsImported: 1, rowsSkipped: { noAwardReference: 1, malformed: 0 } });
      expect(await contract('OLD-1')).toMatchObject({
        contractor: 'DELTA BUILDERS', organization: 'PROVINCE OF ILOCOS NORTE', award_title: 'Concreting of barangay road',
        notice_title: 'Concreting of barangay road, Phase 2', amount: '1500000.50', approved_budget: '1600000.00', award_date: '2016-03-01',
        area: 'Ilocos Norte', classification: null, procurement_mode: 'Public Bidding',
      });
    });
  });

  describe('when rows are malformed', () => {
    it('reports each with its line number and reason, and imports the rest', async () => {
      const base = { 'Procuring Entity (PE)': 'CITY OF GAMMA', 'Awardee Organization Name': 'EPSILON CORP.', 'Award Date': '15/06/2023', 'Contract Amount': '1000.00', 'Business Category': 'Catering Services', 'Award Title': 'Catering services' };
      const good = (ref: string, extra: Record<string, string> = {}) => csvLine(exportRow({ ...base, 'Award Reference No.': ref, ...extra }));
      const file = writeCsv('malformed.csv', [
        EXPORT_HEADER.join(','), // line 1
        good('M-1'), // 2
        good('M-2', { 'Award Date': '31/02/2023' }), // 3: no such date
        good('M-3', { 'Contract Amount': '12abc' }), // 4
        good('M-4', { 'Award Title': 'Catering for the "Kalayaan" fiesta,\r\nwith snacks' }), // 5-6: quoted comma, quotes and newline
        good('M-5').split(',').slice(0, 40).join(','), // 7: 40 fields
        good('M-6', { 'Contract Amount': '-5.00' }), // 8
        good('M-7', { 'Award Date': '2023-06-15' }), // 9: ISO date is accepted
        good('M-8', { 'Procuring Entity (PE)': 'NULL' }), // 10
        good('M-9'), // 11
        '"unterminated,' + good('M-10'), // 12: quote never closed, runs to the end of the file
      ], '\r\n');
      const s = await importAwardFiles(db.url, [file]);
      expect(s).toMatchObject({ rowsRead: 10, contractsImported: 4, lineItemRows: 0 });
      expect(s.rowsSkipped).toEqual({ noAwardReference: 0, noAwardee: 0, noAwardDate: 0, malformed: 6 });
      // Every row is accounted for exactly once.
      expect(s.contractsImported + s.contractsUpdated + s.contractsUnchanged + s.lineItemRows + Object.values(s.rowsSkipped).reduce((a, b) => a + b)).toBe(s.rowsRead);
      expect(s.malformed.map((m) => [m.line, m.reason])).toEqual([
        [3, 'Award Date "31/02/2023" is not a DD/MM/YYYY date'],
        [4, 'Contract Amount "12abc": not a number'],
        [7, 'expected 46 fields, found 40'],
        [8, 'Contract Amount "-5.00": negative amount'],
        [10, 'no procuring entity'],
        [12, 'Quote Not Closed: the parsing is finished with an opening quote'],
      ]);
      expect(s.malformed.every((m) => m.file === file)).toBe(true);
      expect(await contract('M-4')).toMatchObject({ award_title: 'Catering for the "Kalayaan" fiesta,\r\nwith snacks' });
      expect(await contract('M-7')).toMatchObject({ award_date: '2023-06-15' });
      expect((await db.pool.query(`SELECT reference_id FROM contracts WHERE reference_id LIKE 'M-%' ORDER BY 1`)).rows.map((r) => r.reference_id)).toEqual(['M-1', 'M-4', 'M-7', 'M-9']);
    });

    it('reports an award the database rejects and keeps the rest of its batch', async () => {
      const row = (ref: string) => csvLine(exportRow({ 'Procuring Entity (PE)': 'CITY OF GAMMA', 'Awardee Organization Name': 'EPSILON CORP.', 'Award Date': '15/06/2023', 'Business Category': 'Catering Services', 'Award Title': 'Catering', 'Award Reference No.': ref }));
      // A reference id too big for its btree index (PostgreSQL error 54000; random, so it does
      // not compress below the limit) is only found out by the database.
      const file = writeCsv('rejected.csv', [EXPORT_HEADER.join(','), row('R-1'), row(`R-${randomBytes(6000).toString('base64')}`), row('R-3')]);
      const s = await importAwardFiles(db.url, [file]);
      expect(s).toMatchObject({ contractsImported: 2, rowsSkipped: { malformed: 1 } });
      expect(s.malformed[0]).toMatchObject({ line: 3 });
      expect(s.malformed[0]!.reason).toMatch(/^rejected by the database: /);
    });
  });

  describe('when another import or seed is running', () => {
    it('waits for it, says so, then imports', async () => {
      const holder = await db.pool.connect();
      await holder.query('SELECT pg_advisory_lock($1)', [DATA_LOAD_LOCK_KEY]);
      const file = writeCsv('waiting.csv', [
        EXPORT_HEADER.join(','),
        csvLine(exportRow({ 'Procuring Entity (PE)': 'CITY OF ZETA', 'Award Reference No.': 'WAIT-1', 'Award Title': 'Catering', 'Awardee Organization Name': 'ETA FOODS', 'Award Date': '01/12/2024', 'Business Category': 'Catering Services' })),
      ]);
      let waiting = false;
      const done = importAwardFiles(db.url, [file], { onWaiting: () => (waiting = true) });
      try {
        await expect.poll(() => waiting).toBe(true);
        expect(await db.pool.query(`SELECT 1 FROM contracts WHERE reference_id = 'WAIT-1'`)).toMatchObject({ rowCount: 0 });
      } finally {
        await holder.query('SELECT pg_advisory_unlock($1)', [DATA_LOAD_LOCK_KEY]);
        holder.release();
      }
      expect((await done).contractsImported).toBe(1);
    });
  });

  describe('when a file cannot be imported', () => {
    it('names every bad file and imports nothing', async () => {
      const before = (await one<{ n: number }>('SELECT count(*)::int AS n FROM contracts')).n;
      const noColumns = writeCsv('no-columns.csv', ['Foo,Bar', '1,2']);
      const err = await importAwardFiles(db.url, [SAMPLE_CSV, '/nonexistent/awards.csv', noColumns]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportFileError);
      expect((err as ImportFileError).problems).toEqual([
        { file: '/nonexistent/awards.csv', reason: 'no such file' },
        { file: noColumns, reason: expect.stringMatching(/^missing column\(s\): "Award Reference No\." or "Award No\."/) },
      ]);
      expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM contracts')).n).toBe(before);
    });
  });
});
