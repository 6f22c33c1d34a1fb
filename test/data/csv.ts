// Writes small CSV files for importer tests (quoted as Excel and PhilGEPS quote them).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SAMPLE_CSV = fileURLToPath(new URL('./fixtures/awards-2024q4-sample.csv', import.meta.url));

/** The 46 column names of the official export, from the real sample's header. */
export const EXPORT_HEADER: string[] = readFileSync(SAMPLE_CSV, 'utf8').split(/\r?\n/)[0]!.split(',');

/** CSV-quotes a field when needed. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line of `values`. */
export function csvLine(values: string[]): string {
  return values.map(csvField).join(',');
}

/** A row of the official export: NULL everywhere except `values` (keyed by column name). */
export function exportRow(values: Record<string, string>): string[] {
  for (const k of Object.keys(values)) if (!EXPORT_HEADER.includes(k)) throw new Error(`not an export column: ${k}`);
  return EXPORT_HEADER.map((h) => values[h] ?? 'NULL');
}

let dir: string | undefined; // created on first use

/** Writes `lines` joined by `eol` into a fresh temporary file and returns its path. */
export function writeCsv(name: string, lines: string[], eol = '\n', prefix = ''): string {
  dir ??= mkdtempSync(path.join(tmpdir(), 'kontrata-import-'));
  const file = path.join(dir, name);
  writeFileSync(file, prefix + lines.join(eol) + eol);
  return file;
}

/** Removes the temporary files written by writeCsv (call from afterAll). */
export function removeCsvFiles(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}
