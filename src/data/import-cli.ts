// `npm run db:import -- FILE...`: applies migrations, then imports official PhilGEPS
// award CSV files into DATABASE_URL and prints what was imported and skipped.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { describeDatabaseUrl } from '../db/pg.js';
import { connectDataVersionNotifier } from '../tasks/data-version.js';
import { ImportFileError, importAwardFiles, type ImportSummary } from './import.js';
import { createProgressDisplay } from './progress.js';

const USAGE = `Usage: npm run db:import -- FILE.csv [FILE.csv ...]

Imports PhilGEPS award exports (the official CSV format, current or older column names).
Re-importing a file adds nothing; changed awards are updated.`;

const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);

/** The summary as printed for people. */
function formatSummary(s: ImportSummary): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `Read ${n(s.rowsRead)} rows from ${s.files} file(s) in ${(s.ms / 1000).toFixed(1)} s`,
    `  contracts imported:  ${n(s.contractsImported)}`,
    `  contracts updated:   ${n(s.contractsUpdated)}`,
    `  contracts unchanged: ${n(s.contractsUnchanged)}`,
    `  line items merged into their award: ${n(s.lineItemRows)}`,
    'Rows skipped:',
    `  not awarded (no Award Reference No.): ${n(s.rowsSkipped.noAwardReference)}`,
    `  no awardee:                           ${n(s.rowsSkipped.noAwardee)}`,
    `  no award date:                        ${n(s.rowsSkipped.noAwardDate)}`,
    `  malformed:                            ${n(s.rowsSkipped.malformed)}`,
  ];
  for (const m of s.malformed) lines.push(`    ${m.file}:${m.line}: ${m.reason}`);
  if (s.rowsSkipped.malformed > s.malformed.length) lines.push(`    ... and ${n(s.rowsSkipped.malformed - s.malformed.length)} more`);
  return lines.join('\n');
}

let files: string[];
try {
  const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  files = positionals;
} catch (err) {
  console.error(`${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (files.length === 0) {
  console.error(`No file given.\n\n${USAGE}`);
  process.exit(2);
}

const display = createProgressDisplay((done, total) => `${mb(done)}/${mb(total)} MB`);
let dataVersion: ReturnType<typeof connectDataVersionNotifier> | undefined;
try {
  const config = loadConfig();
  await migrate(config.migrationDatabaseUrl);
  console.log(`Importing ${files.length} file(s) into ${describeDatabaseUrl(config.migrationDatabaseUrl)}`);
  // The API's copy of the data version (Redis) is told, so no cached answer outlives the old data.
  dataVersion = connectDataVersionNotifier(config.redisUrl, config.queuePrefix);
  const summary = await importAwardFiles(config.migrationDatabaseUrl, files, {
    onProgress: (p) => display.update(p.bytesRead, p.totalBytes, `${p.rowsRead.toLocaleString('en-US')} rows, ${p.file}`),
    onWaiting: () => console.log('Waiting for another import or seed to finish...'),
    dataVersion,
  });
  display.stop();
  console.log(formatSummary(summary));
} catch (err) {
  display.stop();
  if (err instanceof ImportFileError) console.error(`Cannot import; nothing was imported:\n${err.problems.map((p) => `  ${p.file}: ${p.reason}`).join('\n')}`);
  else console.error(`Import failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await dataVersion?.close();
}
