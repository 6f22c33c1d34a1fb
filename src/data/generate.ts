// `generateContracts`: replaces the GENERATED contracts with N synthetic ones drawn from
// the real per-entity PhilGEPS totals (see contract-model.ts for what they look like).
// Imported contracts are kept. Loading is one transaction, so a failure leaves the
// previous data as it was; readers wait (ACCESS EXCLUSIVE on contracts) until it commits.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ProgressUpdate } from '../contracts/types.js';
import { BUMP_DATA_VERSION_SQL } from '../db/dataset.js';
import { ValidationError } from '../errors.js';
import { createContractModel } from './contract-model.js';
import { copyNullable, copyText } from './copy-text.js';
import { dropIndexes, listDroppableIndexes } from './indexes.js';
import { withDataLoadLock } from './lock.js';
import { loadReferenceData, type ReferenceData, type ReferenceEntity } from './reference/load.js';
import { pruneUnusedDimensions, refreshDimensionStats } from './stats.js';

export type GenerateOptions = {
  /** How many contracts to generate (0 removes all generated contracts). */
  contracts: number;
  /** Same seed and count give identical contracts, reference ids included. Default 1. */
  seed?: number;
  onProgress?: (update: ProgressUpdate) => void;
};

/** Upper bound on one run; the real dataset has ~5.5M awards. */
export const MAX_GENERATED_CONTRACTS = 50_000_000;
/** Rows per COPY chunk handed to the socket: big enough to amortise, small enough for steady progress. */
const ROWS_PER_CHUNK = 2_000;

/** Throws ValidationError unless the options are a usable count and seed. */
export function validateGenerateOptions(opts: { contracts: number; seed?: number }): void {
  if (!Number.isSafeInteger(opts.contracts) || opts.contracts < 0 || opts.contracts > MAX_GENERATED_CONTRACTS) {
    throw new ValidationError('contracts', `must be an integer from 0 to ${MAX_GENERATED_CONTRACTS}`);
  }
  if (opts.seed !== undefined && (!Number.isSafeInteger(opts.seed) || opts.seed < 0)) {
    throw new ValidationError('seed', 'must be a non-negative integer');
  }
}

/** Upserts every reference name into `table` and returns the database id of each entity, by reference index. */
async function upsertNames(client: pg.Client, table: string, entities: ReferenceEntity[]): Promise<Int32Array> {
  const names = entities.map((e) => e.name);
  await client.query(`INSERT INTO ${table} (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`, [names]);
  const { rows } = await client.query<{ id: number; name: string }>(`SELECT id, name FROM ${table} WHERE name = ANY($1::text[])`, [names]);
  const idByName = new Map(rows.map((r) => [r.name, r.id]));
  return Int32Array.from(names, (n) => idByName.get(n)!);
}

/** COPY text rows of `count` generated contracts, in chunks, produced lazily (constant memory at any count). */
function* copyChunks(ref: ReferenceData, seed: number, count: number, ids: Record<keyof ReferenceData, Int32Array>, onRows: (done: number) => void) {
  const next = createContractModel(ref, seed);
  let done = 0;
  while (done < count) {
    const n = Math.min(ROWS_PER_CHUNK, count - done);
    let chunk = '';
    for (let i = 0; i < n; i++) {
      const c = next();
      chunk +=
        `${copyText(c.referenceId)}\t${copyText(c.awardTitle)}\t${copyText(c.noticeTitle)}\t${ids.contractors[c.contractor]}\t` +
        `${ids.organizations[c.organization]}\t${c.area < 0 ? '\\N' : ids.areas[c.area]}\t${ids.categories[c.category]}\t` +
        `${copyText(c.procurementMode)}\t${copyText(c.classification)}\t${copyText(c.awardStatus)}\t${copyNullable(c.amount)}\t` +
        `${c.approvedBudget}\t${c.awardDate}\tGENERATED\n`;
    }
    done += n;
    yield chunk;
    onRows(done);
  }
}

/** Replaces all GENERATED contracts with `contracts` new ones for `seed`; refreshes counters, bumps the dataset version, VACUUM ANALYZEs. */
export async function generateContracts(databaseUrl: string, opts: GenerateOptions): Promise<{ contracts: number; ms: number }> {
  validateGenerateOptions(opts);
  const started = performance.now();
  const seed = opts.seed ?? 1;
  const count = opts.contracts;
  const ref = await loadReferenceData();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await withDataLoadLock(client, async () => {
      // Progress units: one per row copied, and the same again spread over the steps after the copy.
      const total = count * 2 + 10;
      let done = 0;
      const report = (to: number, message: string) => {
        done = Math.max(done, Math.min(total, Math.round(to)));
        opts.onProgress?.({ done, total, message });
      };
      report(0, 'Preparing');
      await client.query('BEGIN');
      try {
        // Sorted index builds want memory; this machine has plenty, and it is this transaction only.
        await client.query("SET LOCAL maintenance_work_mem = '1GB'");
        const { rows } = await client.query<{ imported: boolean }>(
          "SELECT EXISTS (SELECT 1 FROM contracts WHERE source = 'IMPORTED') AS imported",
        );
        // Without imported rows TRUNCATE is instant and lets COPY write frozen rows (no later
        // VACUUM rewrite); with them, delete only the generated ones.
        const truncated = !rows[0]!.imported;
        if (truncated) await client.query('TRUNCATE contracts RESTART IDENTITY');
        else await client.query("DELETE FROM contracts WHERE source = 'GENERATED'");
        const ids = {
          contractors: await upsertNames(client, 'contractors', ref.contractors),
          organizations: await upsertNames(client, 'organizations', ref.organizations),
          areas: await upsertNames(client, 'areas', ref.areas),
          categories: await upsertNames(client, 'business_categories', ref.categories),
        };
        const indexes = await listDroppableIndexes(client, 'contracts');
        await dropIndexes(client, indexes);
        report(5, `Generating ${count.toLocaleString('en-US')} contracts`);
        const copy = client.query(
          copyFrom(
            `COPY contracts (reference_id, award_title, notice_title, contractor_id, organization_id, area_id,
               business_category_id, procurement_mode, classification, award_status, amount, approved_budget,
               award_date, source) FROM STDIN${truncated ? ' WITH (FREEZE)' : ''}`,
          ),
        );
        await pipeline(Readable.from(copyChunks(ref, seed, count, ids, (n) => report(5 + n, `Generated ${n.toLocaleString('en-US')} contracts`))), copy);
        const perStep = count / (indexes.length + 2);
        for (const [i, index] of indexes.entries()) {
          report(5 + count + i * perStep, `Building index ${index.name} (${i + 1}/${indexes.length})`);
          await client.query(index.definition);
        }
        report(5 + count + indexes.length * perStep, 'Refreshing dimension counters');
        await refreshDimensionStats(client);
        await pruneUnusedDimensions(client);
        await client.query(BUMP_DATA_VERSION_SQL);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      }
      // Fresh statistics for the planner and an up-to-date visibility map (index-only scans).
      report(5 + count + (count * (1 + 0.5 * 0)) - count / 4, 'VACUUM ANALYZE');
      await client.query('VACUUM (ANALYZE) contracts');
      await client.query('ANALYZE contractors, organizations, areas, business_categories');
      report(total, 'Done');
    });
  } finally {
    await client.end();
  }
  return { contracts: count, ms: Math.round(performance.now() - started) };
}
