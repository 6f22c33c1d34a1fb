// Rebuilds src/data/reference/*.csv.gz from the real per-entity PhilGEPS files
// (default ../shared/data/philgeps), so a fresh clone needs nothing outside the repo.
//   npx tsx src/data/reference/build-cli.ts [SOURCE_DIR]
// Keeps only what the generator uses (name, contract_count, total_contract_value),
// normalises names the way the importer does and merges names that then collide.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { normalizeName } from '../normalize.js';
import { REFERENCE_FILES } from './files.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.resolve(process.argv[2] ?? path.join(here, '../../../../shared/data/philgeps'));

/** CSV-quotes a field when it needs it. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

for (const file of Object.values(REFERENCE_FILES)) {
  const rows = parse(readFileSync(path.join(sourceDir, file.source)), { columns: true, bom: true }) as Record<string, string>[];
  const merged = new Map<string, { count: number; total: number }>();
  for (const row of rows) {
    const name = normalizeName(row.name ?? '');
    const count = Number(row.contract_count);
    const total = Number(row.total_contract_value || 0);
    if (!name || !Number.isFinite(count) || count <= 0 || !Number.isFinite(total)) continue;
    const prev = merged.get(name);
    if (prev) {
      prev.count += count;
      prev.total += total;
    } else merged.set(name, { count, total });
  }
  const sorted = [...merged].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
  const lines = ['name,contract_count,total_contract_value'];
  for (const [name, { count, total }] of sorted) lines.push(`${csvField(name)},${count},${total.toFixed(2)}`);
  const gz = gzipSync(lines.join('\n') + '\n', { level: 9 });
  writeFileSync(path.join(here, file.compressed), gz);
  console.log(`${file.compressed}: ${rows.length} rows -> ${sorted.length} names, ${(gz.length / 1024).toFixed(0)} KiB`);
}
