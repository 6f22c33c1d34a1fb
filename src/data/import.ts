// `importAwardFiles`: imports official PhilGEPS award CSVs. Streams each file (memory does
// not grow with its size), one contract per Award Reference No. (the export repeats the
// award on each of its line items; the Contract Amount is the award's, never summed),
// upserts by reference id so a re-import adds nothing, and reports what it skipped and why.
import { stat } from 'node:fs/promises';
import type { ReadStream } from 'node:fs';
import { BUMP_DATA_VERSION_SQL, datasetFactsSql, type DataVersionNotifier } from '../db/dataset.js';
import { ValidationError } from '../errors.js';
import { resolveColumns, type ColumnMap } from './award-columns.js';
import { readAwardRow, type AwardRecord, type SkipReason } from './award-row.js';
import { AwardWriter } from './award-writer.js';
import { readCsvRecords } from './csv-records.js';
import { withDataLoadLock } from './lock.js';
import { buildRollupsOnTwoConnections, dropRollupStaging, invalidateRollups, revalidateRollups, ROLLUP_TABLES, swapInRollups } from './rollups.js';
import { applyDimensionStats } from './stats.js';
import { connectClient } from '../db/pg.js';

export type MalformedRow = { file: string; line: number; reason: string };
export type ImportProgress = { file: string; bytesRead: number; totalBytes: number; rowsRead: number };
export type ImportSummary = {
  files: number;
  /** Data rows read (header excluded), across all files. */
  rowsRead: number;
  /** Contracts whose reference id was new. */
  contractsImported: number;
  /** Existing contracts whose values changed. */
  contractsUpdated: number;
  /** Existing contracts already identical (a re-import). */
  contractsUnchanged: number;
  /** Further line items of an award already read, merged into its contract. */
  lineItemRows: number;
  /** Rows not imported, by reason; rowsRead = imported + updated + unchanged + lineItemRows + all of these. */
  rowsSkipped: Record<SkipReason | 'malformed', number>;
  /** The first MAX_MALFORMED_LISTED malformed rows with their line (rowsSkipped.malformed counts them all). */
  malformed: MalformedRow[];
  ms: number;
};
export type ImportOptions = {
  onProgress?: (p: ImportProgress) => void;
  /** Called if another import or seed is running; the import waits for it to finish. */
  onWaiting?: () => void;
  batchSize?: number;
  /** Told when the load starts and ends (the API's copy of the data version in Redis); without it, APIs notice the new version within VERSION_TTL_MS. */
  dataVersion?: DataVersionNotifier;
};

export const MAX_MALFORMED_LISTED = 100;
/** Contracts per transaction: big enough to amortise round trips, small enough to retry one by one. */
const DEFAULT_BATCH_SIZE = 1000;

/** Thrown before anything is imported when a file cannot be read or lacks required columns. */
export class ImportFileError extends Error {
  override name = 'ImportFileError';
  constructor(readonly problems: { file: string; reason: string }[]) {
    super(problems.map((p) => `${p.file}: ${p.reason}`).join('\n'));
  }
}

/** Why a file cannot be opened, for people. */
function describeFsError(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a CSV file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (err as Error).message;
}

/** Opens every file and checks its header, so a typo in the last file name fails before the first is imported. */
async function preflight(files: string[]): Promise<{ columns: ColumnMap[]; totalBytes: number }> {
  const problems: { file: string; reason: string }[] = [];
  const columns: ColumnMap[] = [];
  let totalBytes = 0;
  for (const file of files) {
    try {
      const info = await stat(file);
      if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
      totalBytes += info.size;
      let header: string[] | undefined;
      for await (const r of readCsvRecords(file, { onError: () => {}, maxRecords: 1 })) header = r.fields;
      if (!header) throw new Error('file is empty (no header row)');
      columns.push(resolveColumns(header));
    } catch (err) {
      problems.push({ file, reason: describeFsError(err) });
    }
  }
  if (problems.length) throw new ImportFileError(problems);
  return { columns, totalBytes };
}

/** Imports award CSV files into the database; returns what was imported, updated, merged and skipped. */
export async function importAwardFiles(databaseUrl: string, files: string[], opts: ImportOptions = {}): Promise<ImportSummary> {
  if (files.length === 0) throw new ValidationError('files', 'name at least one CSV file');
  const started = performance.now();
  const { columns, totalBytes } = await preflight(files);
  const summary: ImportSummary = {
    files: files.length, rowsRead: 0, contractsImported: 0, contractsUpdated: 0, contractsUnchanged: 0, lineItemRows: 0,
    rowsSkipped: { noAwardReference: 0, noAwardee: 0, noAwardDate: 0, malformed: 0 }, malformed: [], ms: 0,
  };
  const addMalformed = (m: MalformedRow) => {
    summary.rowsSkipped.malformed += 1;
    if (summary.malformed.length < MAX_MALFORMED_LISTED) summary.malformed.push(m);
  };
  const client = await connectClient(databaseUrl);
  try {
    await withDataLoadLock(client, async () => {
      // The batches below commit one by one: from now until the last transaction swaps new
      // rollups in, the engine must not answer from the old ones.
      const rollupsWereValid = await invalidateRollups(client);
      const writer = new AwardWriter(client);
      let bytesBefore = 0;
      for (const [i, file] of files.entries()) {
        let input: ReadStream | undefined;
        const progress = () =>
          opts.onProgress?.({ file, bytesRead: bytesBefore + (input?.bytesRead ?? 0), totalBytes, rowsRead: summary.rowsRead });
        const batch = new Map<string, AwardRecord>();
        let lastReference: string | undefined;
        const flush = async () => {
          if (batch.size === 0) return;
          const result = await writer.write([...batch.values()]);
          batch.clear();
          summary.contractsImported += result.inserted;
          summary.contractsUpdated += result.updated;
          summary.contractsUnchanged += result.unchanged;
          for (const f of result.failed) addMalformed({ file, line: f.award.line, reason: `rejected by the database: ${f.error}` });
          progress();
        };
        let header = true;
        const records = readCsvRecords(file, {
          onError: (e) => {
            summary.rowsRead += 1;
            addMalformed({ file, ...e });
          },
          onStream: (s) => (input = s),
        });
        for await (const { fields, line } of records) {
          if (header) {
            header = false; // already resolved by preflight
            continue;
          }
          summary.rowsRead += 1;
          const row = readAwardRow(fields, columns[i]!, line);
          if ('skip' in row) summary.rowsSkipped[row.skip] += 1;
          else if ('malformed' in row) addMalformed({ file, line, reason: row.malformed });
          else if (row.award.referenceId === lastReference || batch.has(row.award.referenceId)) {
            summary.lineItemRows += 1; // first row of an award wins; its line items repeat the award's columns
          } else {
            // Flush only between awards, so the line items of one award never straddle two batches.
            if (batch.size >= (opts.batchSize ?? DEFAULT_BATCH_SIZE)) await flush();
            batch.set(row.award.referenceId, row.award);
            lastReference = row.award.referenceId;
          }
          if (summary.rowsRead % 5000 === 0) progress();
        }
        await flush();
        bytesBefore += input?.bytesRead ?? 0;
      }
      if (summary.contractsImported + summary.contractsUpdated > 0) {
        await buildRollupsOnTwoConnections(client, 'contracts', databaseUrl); // also computes the dimension counters
        await client.query('BEGIN');
        try {
          await applyDimensionStats(client);
          // Exact facts again (the batches kept counts exact but only widened dates and years).
          await client.query(datasetFactsSql('contracts'));
          await client.query(BUMP_DATA_VERSION_SQL);
          await swapInRollups(client);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          await dropRollupStaging(client).catch(() => {});
          throw err;
        }
        await client.query(`ANALYZE contracts, contract_search, ${ROLLUP_TABLES.join(', ')}`);
      } else if (rollupsWereValid) {
        await revalidateRollups(client); // nothing changed: they still describe the contracts
      }
    }, opts.onWaiting, opts.dataVersion);
  } finally {
    await client.end();
  }
  summary.ms = Math.round(performance.now() - started);
  return summary;
}
