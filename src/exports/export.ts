// exportContracts: every contract matching a filter (or every group of one dimension) as a
// CSV file in EXPORT_DIR. Rows come from a server-side cursor in batches on one pinned
// connection, in the REPEATABLE READ snapshot of runSteps, so the count and the rows agree
// and memory holds one batch whatever the size. Each batch is written (and awaited) before
// the next is fetched: that is the backpressure. The file becomes visible only once
// complete (files.ts); a failure or a cancel removes the partial.
import type { Db } from '../db/prisma.js';
import { CancelledError } from '../errors.js';
import { Prisma } from '../generated/prisma/client.js';
import { filterSql, matchSource, resolveChips } from '../contracts/filter-sql.js';
import { toNumber } from '../contracts/results.js';
import { runSteps, type StepRunner } from '../contracts/run.js';
import type { RunOptions } from '../contracts/types.js';
import { BOM, line, numberCell, textCell } from './csv.js';
import { createPartialExport, exportUrl, type PartialExport } from './files.js';
import { normalizeExportInput } from './normalize.js';
import {
  countContractsSql,
  countGroupsSql,
  createGroupsSql,
  CURSOR,
  declareContractsSql,
  declareGroupsSql,
  fetchSql,
  type ContractCsvRow,
  type GroupCsvRow,
} from './sql.js';
import { CONTRACT_COLUMNS, GROUP_COLUMNS, type ExportFilesOptions, type ExportInput, type ExportResult, type NormalizedExportInput } from './types.js';

/** Rows per FETCH: ~2-3 MB of text, enough to make round trips cheap, small enough to keep memory flat. */
const BATCH_ROWS = 5000;

export type ExportRunOptions = RunOptions & { files: ExportFilesOptions };

function contractLine(r: ContractCsvRow): string {
  return line([
    textCell(r.reference_id),
    numberCell(r.award_date),
    textCell(r.award_title),
    textCell(r.notice_title),
    textCell(r.contractor),
    textCell(r.organization),
    textCell(r.area),
    textCell(r.business_category),
    textCell(r.procurement_mode),
    numberCell(r.amount),
    numberCell(r.approved_budget),
  ]);
}

function groupLine(r: GroupCsvRow): string {
  return line([textCell(r.label), numberCell(r.count), numberCell(r.total_value), numberCell(r.avg_value)]);
}

/** The download name: kontrata-contracts-2026-12-04.csv, kontrata-business_category-2026-12-04.csv. */
export function exportFilename(dimension: NormalizedExportInput['dimension'], now: Date): string {
  return `kontrata-${dimension ? dimension.toLowerCase() : 'contracts'}-${now.toISOString().slice(0, 10)}.csv`;
}

/** Writes every matching row to `file`; returns the number of data rows. */
async function writeRows(run: StepRunner, n: NormalizedExportInput, file: PartialExport, opts: RunOptions): Promise<number> {
  const report = (done: number, total: number, message: string) => opts.onProgress?.({ done, total, message });
  const what = n.dimension ? 'groups' : 'contracts';
  report(0, 1, `Counting matching ${what}`);
  const ids = await resolveChips(run, n.filters);
  if (!ids) return 0; // a chip or entity matched no name: nothing matches
  let total: number;
  if (n.dimension) {
    await run.execute(createGroupsSql(n.dimension, matchSource(n.filters, ids)));
    total = toNumber((await run.query<{ n: bigint }>(countGroupsSql))[0]?.n);
    await run.execute(declareGroupsSql(n.dimension));
  } else {
    total = toNumber((await run.query<{ n: bigint }>(countContractsSql(matchSource(n.filters, ids))))[0]?.n);
    await run.execute(declareContractsSql(filterSql(n.filters, ids)));
  }
  const message = `Writing ${total.toLocaleString('en-US')} ${what}`;
  report(0, total, message);
  const toLine = n.dimension ? (groupLine as (r: unknown) => string) : (contractLine as (r: unknown) => string);
  let written = 0;
  for (;;) {
    const rows = await run.query<unknown>(fetchSql(BATCH_ROWS));
    if (rows.length === 0) break;
    let text = '';
    for (const row of rows) text += toLine(row);
    await file.write(text);
    written += rows.length;
    report(written, total, message);
    if (rows.length < BATCH_ROWS) break;
  }
  await run.execute(Prisma.sql`CLOSE ${CURSOR}`);
  // Same snapshot for the count and the cursor: they cannot disagree unless the engine has a bug.
  if (written !== total) throw new Error(`export wrote ${written} rows but ${total} match`);
  return written;
}

/**
 * Exports every contract matching `input.filters` (award date DESC, referenceId ASC), or,
 * with `input.dimension`, every group of that dimension (total value DESC, label ASC), as a
 * CSV file (API.md "Exports") in `opts.files.dir`, kept for `opts.files.ttlSeconds`.
 * Validates the input (ValidationError); progress is rows written of rows matching;
 * aborting `opts.signal` cancels the statement, removes the partial file and rejects with
 * CancelledError. Resolves once the file is complete and visible at the returned url.
 */
export async function exportContracts(db: Db, input: ExportInput, opts: ExportRunOptions): Promise<ExportResult> {
  const n = normalizeExportInput(input);
  const { signal, files } = opts;
  if (signal?.aborted) throw new CancelledError('Cancelled before the export started');
  const file = await createPartialExport(files.dir);
  try {
    await file.write(BOM + line(n.dimension ? GROUP_COLUMNS : CONTRACT_COLUMNS));
    const rows = await runSteps(db, { ...(signal ? { signal } : {}) }, [], (run) => writeRows(run, n, file, opts));
    const now = new Date();
    const meta = await file.publish({ filename: exportFilename(n.dimension, now), rows, ttlSeconds: files.ttlSeconds, now });
    return {
      rows,
      bytes: meta.bytes,
      columns: [...(n.dimension ? GROUP_COLUMNS : CONTRACT_COLUMNS)],
      url: exportUrl(meta.id),
      expiresAt: meta.expiresAt,
    };
  } catch (err) {
    await file.discard();
    throw err;
  }
}
