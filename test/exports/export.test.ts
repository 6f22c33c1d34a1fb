// exportContracts on the hand-built fixture plus awkward names: the file, parsed back with a
// real CSV parser, holds exactly the synchronous answers, cell by cell, in their order.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchContracts, DIMENSIONS, type ContractFilter } from '../../src/contracts/index.js';
import { CancelledError, ValidationError } from '../../src/errors.js';
import { CONTRACT_COLUMNS, exportContracts, GROUP_COLUMNS, readMeta } from '../../src/exports/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { expectedContractCells, expectedGroupRows, loadExportFixture, readExport } from './support.js';

let t: TestDatabase;
let dir: string;
const files = () => ({ dir, ttlSeconds: 600 });
beforeAll(async () => {
  t = await createTestDatabase('exports_engine');
  await loadExportFixture(t);
  dir = await mkdtemp(path.join(os.tmpdir(), 'kontrata-exports-'));
});
afterAll(async () => {
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const FILTERS: [string, ContractFilter][] = [
  ['no filter', {}],
  ['a keyword and a year range', { keywords: ['road'], timeRanges: [{ from: '2023-01-01', to: '2024-12-31' }] }],
  ['an entity and an amount floor', { entities: [{ dimension: 'ORGANIZATION', name: 'CITY OF MANILA' }], minAmount: 10 }],
  ['the area (unspecified)', { entities: [{ dimension: 'AREA', name: '(unspecified)' }] }],
  ['a chip that matches nothing', { contractors: ['no such contractor'] }],
];

describe('exportContracts', () => {
  describe.each(FILTERS)('when exporting contracts with %s', (_name, filters) => {
    it('writes every matching contract, in the search order, cell for cell, as RFC 4180 CSV with a BOM', async () => {
      const progress: { done: number; total: number }[] = [];
      const result = await exportContracts(t.prisma, { filters }, { files: files(), onProgress: (u) => progress.push(u) });
      const file = await readExport(dir, result.url);
      const expected = await expectedContractCells(t.prisma, filters);
      const total = (await searchContracts(t.prisma, { filters, pageSize: 1 })).pagination.totalCount;
      expect(file.bom).toBe(true);
      expect(file.crlfOnly).toBe(true);
      expect(file.text.slice(1, file.text.indexOf('\r\n'))).toBe(CONTRACT_COLUMNS.join(','));
      expect(file.header).toEqual([...CONTRACT_COLUMNS]);
      expect(file.rows).toEqual(expected);
      expect(result).toMatchObject({ rows: total, columns: [...CONTRACT_COLUMNS], bytes: Buffer.byteLength(file.text) });
      expect(result.rows).toBe(expected.length);
      const last = progress.at(-1)!;
      if (total > 0) expect(last).toMatchObject({ done: total, total });
      expect(progress.every((p, i) => i === 0 || p.done >= progress[i - 1]!.done || p.total !== progress[i - 1]!.total)).toBe(true);
    });
  });

  describe.each(DIMENSIONS.flatMap((d) => FILTERS.slice(0, 3).map(([name, f]) => [d, name, f] as const)))(
    'when exporting the %s groups with %s',
    (dimension, _name, filters) => {
      it('writes every group of the analytics table, in its order, with two-decimal totals and averages', async () => {
        const result = await exportContracts(t.prisma, { filters, dimension }, { files: files() });
        const file = await readExport(dir, result.url);
        const { rows, totalCount } = await expectedGroupRows(t.prisma, filters, dimension);
        expect(file.bom && file.crlfOnly).toBe(true);
        expect(file.header).toEqual([...GROUP_COLUMNS]);
        expect(file.rows.map((r) => r.slice(0, 3))).toEqual(rows.map((r) => r.cells));
        file.rows.forEach((r, i) => {
          expect(r[3]).toMatch(/^\d+\.\d{2}$/);
          expect(Math.abs(Number(r[3]) - rows[i]!.avg)).toBeLessThanOrEqual(0.005 + 1e-9);
        });
        expect(result.rows).toBe(totalCount);
        expect(totalCount).toBeGreaterThan(0);
      });
    },
  );

  describe('when a cell would run as a formula or breaks naive CSV', () => {
    it('prefixes text with an apostrophe, quotes commas, quotes and line breaks, and never alters numbers', async () => {
      const result = await exportContracts(t.prisma, { filters: { timeRanges: [{ year: 2021 }] } }, { files: files() });
      const file = await readExport(dir, result.url);
      const byRef = Object.fromEntries(file.rows.map((r) => [r[0], r]));
      expect(byRef.C30).toEqual(['C30', '2021-07-01', `'=1+2 SUPPLY OF "SPECIAL" ITEMS`, 'line one\r\nline two', `'=HYPERLINK("http://evil.example","click")`,
        'CITY OF MANILA', 'Metro Manila', 'Office Supplies', 'Public Bidding', '1234567.50', '1234567.50']);
      expect(byRef.C31).toEqual(['C31', '2021-07-01', `'-20% DISCOUNT ON PAPER`, `'+notice`, `'+63 TRADING, INC.`, 'CITY OF MANILA',
        `'=SUM(A1:A9), "Area"`, 'Office Supplies', `'=cmd|calc!A1`, '0.10', '0.10']);
      expect(byRef.C32).toEqual(['C32', '2021-07-01', `'@SUM(1)`, '', `'-MINUS CONSTRUCTION`, 'CITY OF MANILA', '', 'Office Supplies', '', '', '']);
      expect(byRef.C33?.slice(2, 5)).toEqual(['COMMA, "QUOTE", AND\nNEWLINE', `'\rcarriage`, `'@HANDLE "QUOTED" SUPPLY`]);
      expect(byRef.C35?.[2]).toBe(`'\tTABBED TITLE`);
      expect(byRef.C36?.slice(2, 5)).toEqual(['PAGPAPAGAWA NG DAAN SA BARANGAY ÑAGA', 'Pagpapagawà', 'ÑANDÚ GÉNÉRAL MERCHANDISE 日本']);
      // The raw text: RFC 4180 quoting (inner quotes doubled), UTF-8.
      expect(file.text).toContain(`,"'=HYPERLINK(""http://evil.example"",""click"")",`);
      expect(file.text).toContain(`,"line one\r\nline two",`);
    });
  });

  describe('when the input is invalid', () => {
    it('throws ValidationError naming the field and writes nothing', async () => {
      const before = await readdir(dir);
      await expect(exportContracts(t.prisma, { filters: { minAmount: -1 } }, { files: files() })).rejects.toMatchObject({ field: 'filters.minAmount' });
      await expect(exportContracts(t.prisma, { filters: {}, dimension: 'NOPE' as never }, { files: files() })).rejects.toBeInstanceOf(ValidationError);
      expect(await readdir(dir)).toEqual(before);
    });
  });

  describe('when cancelled while writing', () => {
    it('rejects with CancelledError and leaves no file behind', async () => {
      const own = await mkdtemp(path.join(os.tmpdir(), 'kontrata-exports-cancel-'));
      const controller = new AbortController();
      const run = exportContracts(t.prisma, { filters: {} }, {
        files: { dir: own, ttlSeconds: 600 },
        signal: controller.signal,
        onProgress: (u) => {
          if (u.total > 1) controller.abort(new Error('test'));
        },
      });
      await expect(run).rejects.toBeInstanceOf(CancelledError);
      expect(await readdir(own)).toEqual([]);
      await rm(own, { recursive: true, force: true });
    });
  });

  describe('the metadata next to the file', () => {
    it('names the download and the expiry', async () => {
      const result = await exportContracts(t.prisma, { filters: {}, dimension: 'BUSINESS_CATEGORY' }, { files: files() });
      const id = result.url.slice('/exports/'.length, -4);
      const meta = await readMeta(dir, id);
      expect(meta).toMatchObject({ id, rows: result.rows, bytes: result.bytes, expiresAt: result.expiresAt });
      expect(meta?.filename).toMatch(/^kontrata-business_category-\d{4}-\d{2}-\d{2}\.csv$/);
      expect(Date.parse(result.expiresAt) - Date.parse(meta!.createdAt)).toBe(600_000);
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    });
  });
});
