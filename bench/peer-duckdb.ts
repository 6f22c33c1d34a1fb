// The old system's engine for bench/peer.ts: DuckDB over one denormalised table of the same
// contracts, queried the way that system queries it (plain SQL, ILIKE substring matches on
// names and titles, one statement per chart).
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { normalizeFilter } from '../src/contracts/index.js';
import type { AnalyticsInput, AnalyticsTableInput, ContractFilter, Dimension, SearchInput } from '../src/contracts/index.js';

/** Denormalised columns of a dimension. */
const COLUMN: Record<Dimension, string> = { CONTRACTOR: 'contractor', ORGANIZATION: 'organization', AREA: 'area', BUSINESS_CATEGORY: 'business_category' };

/** Copies every contract of PostgreSQL, names joined in, into an in-memory DuckDB table `contracts` (DuckDB on `threads` threads). */
export async function loadDuckDb(databaseUrl: string, threads: number): Promise<{ connection: DuckDBConnection; rows: number; ms: number; close(): void }> {
  const started = performance.now();
  const dir = await mkdtemp(path.join(tmpdir(), 'kontrata-peer-'));
  const file = path.join(dir, 'contracts.csv');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const out = client.query(
      copyTo(`COPY (SELECT c.reference_id, c.award_title, c.notice_title, ct.name AS contractor, o.name AS organization, a.name AS area,
                           bc.name AS business_category, c.amount, c.award_date
                      FROM contracts c JOIN contractors ct ON ct.id = c.contractor_id JOIN organizations o ON o.id = c.organization_id
                      LEFT JOIN areas a ON a.id = c.area_id JOIN business_categories bc ON bc.id = c.business_category_id)
              TO STDOUT WITH (FORMAT csv, HEADER)`),
    );
    await pipeline(out, createWriteStream(file));
  } finally {
    await client.end();
  }
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads), memory_limit: '6GB' });
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE contracts AS SELECT * FROM read_csv('${file.replace(/'/g, "''")}', header = true, columns = {
      'reference_id': 'VARCHAR', 'award_title': 'VARCHAR', 'notice_title': 'VARCHAR', 'contractor': 'VARCHAR', 'organization': 'VARCHAR',
      'area': 'VARCHAR', 'business_category': 'VARCHAR', 'amount': 'DECIMAL(20,2)', 'award_date': 'DATE'},
      delim = ',', quote = '"', escape = '"', nullstr = '')`);
  await rm(dir, { recursive: true, force: true });
  const reader = await connection.runAndReadAll('SELECT count(*)::BIGINT AS n FROM contracts');
  const rows = Number(reader.getRowObjects()[0]!.n);
  return { connection, rows, ms: performance.now() - started, close: () => { connection.closeSync(); instance.closeSync(); } };
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** ILIKE pattern for a substring match, with %, _ and \ literal (as Kontrata matches them). */
const contains = (part: string) => `${literal(`%${part.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)} ESCAPE '\\'`;

/** The filter as a DuckDB WHERE clause over the denormalised table. */
export function duckWhere(filter: ContractFilter): string {
  const f = normalizeFilter(filter);
  const and: string[] = [];
  const chips = (list: string[][], match: (part: string) => string) =>
    `(${list.map((parts) => `(${parts.map(match).join(' AND ')})`).join(' OR ')})`;
  const dims: [string[][], string][] = [[f.contractors, 'contractor'], [f.organizations, 'organization'], [f.areas, 'area'], [f.businessCategories, 'business_category']];
  for (const [list, column] of dims) if (list.length) and.push(chips(list, (p) => `${column} ILIKE ${contains(p)}`));
  if (f.keywords.length) and.push(chips(f.keywords, (p) => `(award_title ILIKE ${contains(p)} OR notice_title ILIKE ${contains(p)})`));
  if (f.timeRanges.length) {
    and.push(`(${f.timeRanges.map((r) => `(${[r.from && `award_date >= DATE ${literal(r.from)}`, r.to && `award_date <= DATE ${literal(r.to)}`].filter(Boolean).join(' AND ') || 'TRUE'})`).join(' OR ')})`);
  }
  if (f.minAmount !== null) and.push(`amount >= ${f.minAmount}`);
  if (f.maxAmount !== null) and.push(`amount <= ${f.maxAmount}`);
  return and.length ? and.join(' AND ') : 'TRUE';
}

type Row = Record<string, unknown>;
const all = async (c: DuckDBConnection, sql: string): Promise<Row[]> => (await c.runAndReadAll(sql)).getRowObjects() as Row[];

/** A check value to compare with Kontrata's answer: count and total value (pesos, rounded). */
export type Check = { count: number; total?: number };

/** Search: first page (award date DESC, reference id) and the exact count. */
export async function duckSearch(c: DuckDBConnection, input: SearchInput): Promise<Check> {
  const w = duckWhere(input.filters);
  await all(c, `SELECT * FROM contracts WHERE ${w} ORDER BY award_date DESC, reference_id LIMIT ${input.pageSize ?? 20}`);
  const [n] = await all(c, `SELECT count(*) AS n FROM contracts WHERE ${w}`);
  return { count: Number(n!.n) };
}

/** Analytics: summary, years, months and the top N of each dimension, one statement each. */
export async function duckAnalytics(c: DuckDBConnection, input: AnalyticsInput): Promise<Check> {
  const w = duckWhere(input.filters);
  const topN = input.topN ?? 10;
  const [s] = await all(c, `SELECT count(*) AS n, sum(amount)::DOUBLE AS total, avg(amount)::DOUBLE AS avg FROM contracts WHERE ${w}`);
  await all(c, `SELECT year(award_date) AS y, count(*) AS n, sum(amount) AS total FROM contracts WHERE ${w} GROUP BY 1 ORDER BY 1`);
  await all(c, `SELECT strftime(award_date, '%Y-%m') AS m, count(*) AS n, sum(amount) AS total FROM contracts WHERE ${w} GROUP BY 1 ORDER BY 1`);
  for (const column of ['contractor', 'organization', "coalesce(area, '(unspecified)')", 'business_category']) {
    await all(c, `SELECT ${column} AS label, count(*) AS n, coalesce(sum(amount), 0) AS total FROM contracts WHERE ${w} GROUP BY 1 ORDER BY total DESC, label LIMIT ${topN}`);
  }
  return { count: Number(s!.n), total: Math.round(Number(s!.total ?? 0)) };
}

/** Analytics table: one page of groups of one dimension, with the number of groups. */
export async function duckTable(c: DuckDBConnection, input: AnalyticsTableInput): Promise<Check> {
  const w = duckWhere(input.filters);
  const column = input.dimension === 'AREA' ? "coalesce(area, '(unspecified)')" : COLUMN[input.dimension];
  const sort = { TOTAL_VALUE: 'total', COUNT: 'n', AVG_VALUE: 'avg', LABEL: 'label' }[input.sortBy ?? 'TOTAL_VALUE'];
  const dir = input.sortDirection ?? 'DESC';
  const size = input.pageSize ?? 20;
  const rows = await all(c, `SELECT ${column} AS label, count(*) AS n, coalesce(sum(amount), 0) AS total, coalesce(avg(amount), 0) AS avg,
      count(*) OVER () AS groups FROM contracts WHERE ${w} GROUP BY 1 ORDER BY ${sort} ${dir}, label LIMIT ${size} OFFSET ${((input.page ?? 1) - 1) * size}`);
  return { count: Number(rows[0]?.groups ?? 0) };
}
