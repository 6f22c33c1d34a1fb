// Shared by the export tests: awkward names added to the hand-built fixture (in the test's
// own database only, so other tests' exact expectations are untouched), a strict reader of
// export files, and the cells an export must hold, computed from the synchronous answers.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { analyticsTable, searchContracts, type ContractFilter, type Dimension } from '../../src/contracts/index.js';
import type { Db } from '../../src/db/prisma.js';
import type { TestDatabase } from '../helpers/db.js';
import { loadFixture, refreshCounters } from '../contracts/fixture.js';

/** Names a spreadsheet or a naive CSV writer would get wrong. */
export const AWKWARD_CONTRACTORS = [
  [20, '=HYPERLINK("http://evil.example","click")'],
  [21, '+63 TRADING, INC.'],
  [22, '-MINUS CONSTRUCTION'],
  [23, '@HANDLE "QUOTED" SUPPLY'],
  [24, 'TWO\nLINES ENTERPRISES'],
  [25, '\tTAB TRADING'],
  [26, 'ÑANDÚ GÉNÉRAL MERCHANDISE 日本'],
] as const;

/** The hand-built fixture plus contracts of the awkward contractors (C30.., 2021; one without amount, one without area). */
export async function loadExportFixture(t: Pick<TestDatabase, 'prisma' | 'url'>): Promise<void> {
  const db = t.prisma;
  await loadFixture(t);
  for (const [id, name] of AWKWARD_CONTRACTORS) await db.$executeRaw`INSERT INTO contractors (id, name) VALUES (${id}::int, ${name})`;
  await db.$executeRaw`INSERT INTO areas (id, name) VALUES (5, ${'=SUM(A1:A9), "Area"'})`;
  const rows: [string, string, string | null, number, number | null, string | null, string | null][] = [
    ['C30', '=1+2 SUPPLY OF "SPECIAL" ITEMS', 'line one\r\nline two', 20, 1, '1234567.50', 'Public Bidding'],
    ['C31', '-20% DISCOUNT ON PAPER', '+notice', 21, 5, '0.10', '=cmd|calc!A1'],
    ['C32', '@SUM(1)', null, 22, null, null, null],
    ['C33', 'COMMA, "QUOTE", AND\nNEWLINE', '\rcarriage', 23, 2, '99.99', 'Negotiated Procurement'],
    ['C34', 'MULTI\nLINE', null, 24, 5, '10.00', 'Public Bidding'],
    ['C35', '\tTABBED TITLE', null, 25, 3, '5.00', 'Public Bidding'],
    ['C36', 'PAGPAPAGAWA NG DAAN SA BARANGAY ÑAGA', 'Pagpapagawà', 26, 1, '7000000.00', 'Public Bidding'],
  ];
  for (const [ref, award, notice, contractor, area, amount, mode] of rows) {
    await db.$executeRaw`
      INSERT INTO contracts (reference_id, award_title, notice_title, contractor_id, organization_id, area_id,
                             business_category_id, procurement_mode, amount, approved_budget, award_date)
      VALUES (${ref}, ${award}, ${notice}, ${contractor}::int, 2, ${area}::int, 4, ${mode}, ${amount}::numeric, ${amount}::numeric, '2021-07-01'::date)`;
  }
  await refreshCounters(t.url);
}

export type ParsedExport = { bom: boolean; crlfOnly: boolean; header: string[]; rows: string[][]; text: string };

/** Reads an export file: BOM, line ends, and its cells through a real CSV parser. */
export function parseExportText(text: string): ParsedExport {
  const bom = text.startsWith('\uFEFF');
  const body = bom ? text.slice(1) : text;
  // Every line break outside quotes must be CRLF: re-parse with CRLF as the only record delimiter.
  const records = parse(body, { record_delimiter: '\r\n', relax_column_count: false, bom: false }) as string[][];
  const loose = parse(body, { bom: false }) as string[][];
  const crlfOnly = JSON.stringify(records) === JSON.stringify(loose) && body.endsWith('\r\n');
  const [header = [], ...rows] = records;
  return { bom, crlfOnly, header, rows, text };
}

/** Reads and parses the export file behind `url` ("/exports/<id>.csv") in `dir`. */
export async function readExport(dir: string, url: string): Promise<ParsedExport> {
  const id = /^\/exports\/([A-Za-z0-9_-]{22})\.csv$/.exec(url)?.[1];
  if (!id) throw new Error(`not an export url: ${url}`);
  return parseExportText(await readFile(path.join(dir, `${id}.csv`), 'utf8'));
}

/** What a text cell must be: the value with a ' before a leading = + - @ tab or CR; '' for null. */
export function guarded(value: string | null): string {
  if (value === null) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const money = (v: number | null) => (v === null ? '' : v.toFixed(2));

/** Every row of the synchronous search (all pages, default order) as the export's cells. */
export async function expectedContractCells(db: Db, filters: ContractFilter): Promise<string[][]> {
  const cells: string[][] = [];
  for (let page = 1; ; page++) {
    const r = await searchContracts(db, { filters, page, pageSize: 7 });
    for (const c of r.contracts) {
      cells.push([
        guarded(c.referenceId), c.awardDate, guarded(c.awardTitle), guarded(c.noticeTitle), guarded(c.contractor),
        guarded(c.organization), guarded(c.area), guarded(c.businessCategory), guarded(c.procurementMode),
        money(c.amount), money(c.approvedBudget),
      ]);
    }
    if (!r.pagination.hasNext) return cells;
  }
}

/** Every row of the synchronous analytics table (all pages, default order) as label/count/total; avg separately (rounded). */
export async function expectedGroupRows(db: Db, filters: ContractFilter, dimension: Dimension) {
  const rows: { cells: string[]; avg: number }[] = [];
  for (let page = 1; ; page++) {
    const r = await analyticsTable(db, { filters, dimension, page, pageSize: 3 });
    for (const row of r.rows) rows.push({ cells: [guarded(row.label), String(row.count), row.totalValue.toFixed(2)], avg: row.avgValue });
    if (!r.pagination.hasNext) return { rows, totalCount: r.pagination.totalCount };
  }
}
