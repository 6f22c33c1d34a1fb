// Loads the compressed real per-entity totals that the generator draws names and weights from.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { REFERENCE_FILES, type ReferenceKind } from './files.js';

/** One real entity: its (normalised) name, how many awards it had and their total value in pesos. */
export type ReferenceEntity = { name: string; count: number; total: number };
export type ReferenceData = Record<ReferenceKind, ReferenceEntity[]>;

let cached: Promise<ReferenceData> | undefined;

/** Reads one compressed reference file (busiest first). */
async function loadOne(kind: ReferenceKind): Promise<ReferenceEntity[]> {
  const url = new URL(`./${REFERENCE_FILES[kind].compressed}`, import.meta.url);
  const lines = gunzipSync(await readFile(fileURLToPath(url))).toString('utf8').split('\n');
  // The files are written by build-cli.ts: `name,count,total`, names single-line (whitespace
  // collapsed) and CSV-quoted when needed, so the two numbers are after the last two commas.
  // A hand-rolled split: csv-parse takes ~2 s on the 74k contractors, this ~50 ms.
  const out: ReferenceEntity[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const c2 = line.lastIndexOf(',');
    const c1 = line.lastIndexOf(',', c2 - 1);
    let name = line.slice(0, c1);
    if (name.startsWith('"')) name = name.slice(1, -1).replace(/""/g, '"');
    const count = Number(line.slice(c1 + 1, c2));
    const total = Number(line.slice(c2 + 1));
    if (!name || !(count > 0) || !Number.isFinite(total)) throw new Error(`${REFERENCE_FILES[kind].compressed}: bad line ${i + 1}`);
    out.push({ name, count, total });
  }
  return out;
}

/** Returns the real contractors, organizations, areas and business categories (read once per process). */
export function loadReferenceData(): Promise<ReferenceData> {
  cached ??= (async () => {
    const [contractors, organizations, areas, categories] = await Promise.all(
      (['contractors', 'organizations', 'areas', 'categories'] as const).map(loadOne),
    );
    return { contractors: contractors!, organizations: organizations!, areas: areas!, categories: categories! };
  })();
  return cached;
}
