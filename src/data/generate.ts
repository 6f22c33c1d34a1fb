// `generateContracts`: replaces the GENERATED contracts with N synthetic ones drawn from
// the real per-entity PhilGEPS totals (see contract-model.ts for what they look like),
// keeping imported contracts. The new table is built beside the live one (staging.ts)
// and swapped in with the refreshed counters and the dataset-version bump in one
// transaction: readers see the old data until then, and a failure changes nothing.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { ProgressUpdate } from '../contracts/types.js';
import { BUMP_DATA_VERSION_SQL, SEED_DATASET_FACTS_SQL, type DataVersionNotifier } from '../db/dataset.js';
import { ValidationError } from '../errors.js';
import { loadingColumns, type LoadingColumns } from '../contracts/contract-columns.js';
import { createContractModel } from './contract-model.js';
import { copyNullable, copyText, utf8Chunks } from './copy-text.js';
import { withDataLoadLock } from './lock.js';
import { DimensionIds } from './dimension-ids.js';
import { loadReferenceData, type ReferenceData } from './reference/load.js';
import { addStagingForeignKeys, buildStagingIndexes, createStaging, dropStaging, stagingIndexCount, stagingName, swapInStaging } from './staging.js';
import { buildRollupsOnTwoConnections, dropRollupStaging, ROLLUP_TABLES, swapInRollups } from './rollups.js';
import { fillSearchStaging, SEARCH_TABLE } from './contract-search.js';
import { applyDimensionStats, pruneUnusedDimensions } from './stats.js';
import { readTablePlan } from './table-plan.js';
import { connectClient, settleAll } from '../db/pg.js';

export type GenerateOptions = {
  /** How many contracts to generate (0 removes all generated contracts). */
  contracts: number;
  /** Same seed and count give identical contracts, reference ids included. Default 1. */
  seed?: number;
  /** Connections building indexes at once; default 2 (this project's reference machine has 2 cores). */
  indexConnections?: number;
  onProgress?: (update: ProgressUpdate) => void;
  /** Told when the load starts and ends (the API's copy of the data version in Redis); without it, APIs notice the new version within VERSION_TTL_MS. */
  dataVersion?: DataVersionNotifier;
};

/** Upper bound on one run; the real dataset has ~5.5M awards. */
export const MAX_GENERATED_CONTRACTS = 50_000_000;
/** Bytes per COPY chunk handed to the socket: big enough to amortise, small enough for steady progress. */
const CHUNK_BYTES = 1 << 20;
const STAGING = 'contracts_staging' as const satisfies ReturnType<typeof stagingName>;
/** The contracts a seed keeps (it replaces the generated ones). */
const KEPT = "source <> 'GENERATED'";
// Progress is reported in thousandths, weighted by where the time goes at 1M rows
// (copy ~25%, index builds ~55%, counters, swap and VACUUM the rest). Each constant is
// where a phase begins; the phase with a count (rows, indexes) moves on to the next one.
const PROGRESS_TOTAL = 1000;
/** Reference data loaded: generating and copying rows begins. */
const COPY_START = 20;
/** Rows copied: the index builds begin. */
const COPY_END = 300;
/** Indexes built: the foreign key checks begin. */
const INDEX_END = 850;
/** Dimension counters computed from the new rows. */
/** The new table replaces the old one. */
const SWAP_START = 930;
/** VACUUM ANALYZE of the new table, the last phase. */
const VACUUM_START = 950;

/** Throws ValidationError unless the options are a usable count and seed. */
export function validateGenerateOptions(opts: { contracts: number; seed?: number }): void {
  if (!Number.isSafeInteger(opts.contracts) || opts.contracts < 0 || opts.contracts > MAX_GENERATED_CONTRACTS) {
    throw new ValidationError('contracts', `must be an integer from 0 to ${MAX_GENERATED_CONTRACTS.toLocaleString('en-US')}`);
  }
  if (opts.seed !== undefined && (!Number.isSafeInteger(opts.seed) || opts.seed < 0)) {
    throw new ValidationError('seed', 'must be a non-negative integer');
  }
}

type Dimensions = Record<keyof ReferenceData, DimensionIds>;

/**
 * COPY text rows of `count` generated contracts, produced lazily (the rows in constant memory
 * at any count); each contract also goes into `columns` (for the rollups).
 */
function* copyRows(ref: ReferenceData, seed: number, count: number, dims: Dimensions, columns: LoadingColumns): Generator<string> {
  const next = createContractModel(ref, seed, count);
  for (let i = 0; i < count; i++) {
    const c = next();
    const contractor = dims.contractors.id(c.contractor);
    const organization = dims.organizations.id(c.organization);
    const category = dims.categories.id(c.category);
    const area = c.area < 0 ? 0 : dims.areas.id(c.area);
    columns.add(c.awardDate, c.amount, contractor, organization, area, category);
    yield `${copyText(c.referenceId)}\t${copyText(c.awardTitle)}\t${copyText(c.noticeTitle)}\t${contractor}\t${organization}\t${c.area < 0 ? '\\N' : area}\t` +
      `${category}\t${copyText(c.procurementMode)}\t${copyText(c.classification)}\t${copyText(c.awardStatus)}\t${copyNullable(c.amount)}\t` +
      `${c.approvedBudget}\t${c.awardDate}\tGENERATED\n`;
  }
}

/** Replaces all GENERATED contracts with `contracts` new ones for `seed`; refreshes counters, bumps the dataset version, VACUUM ANALYZEs. */
export async function generateContracts(databaseUrl: string, opts: GenerateOptions): Promise<{ contracts: number; ms: number }> {
  validateGenerateOptions(opts);
  const started = performance.now();
  const seed = opts.seed ?? 1;
  const count = opts.contracts;
  let done = 0;
  const report = (to: number, message: string) => {
    done = Math.max(done, Math.min(PROGRESS_TOTAL, Math.floor(to)));
    opts.onProgress?.({ done, total: PROGRESS_TOTAL, message });
  };
  report(0, 'Loading reference data');
  const ref = await loadReferenceData();
  const client = await connectClient(databaseUrl);
  // A second connection for the statistics and VACUUM run beside the swap's checks.
  const other = await connectClient(databaseUrl).catch(async (err: unknown) => {
    await client.end().catch(() => {});
    throw err;
  });
  try {
    await withDataLoadLock(client, async () => {
      const plan = await readTablePlan(client, 'contracts');
      const searchPlan = await readTablePlan(client, SEARCH_TABLE);
      try {
        const dims: Dimensions = {
          contractors: await DimensionIds.load(client, 'contractors', ref.contractors),
          organizations: await DimensionIds.load(client, 'organizations', ref.organizations),
          areas: await DimensionIds.load(client, 'areas', ref.areas),
          categories: await DimensionIds.load(client, 'business_categories', ref.categories),
        };
        report(COPY_START, `Generating ${count.toLocaleString('en-US')} contracts`);
        await client.query('BEGIN');
        await createStaging(client, plan);
        const kept = (await client.query(`INSERT INTO ${STAGING} SELECT * FROM contracts WHERE ${KEPT}`)).rowCount ?? 0;
        // The columns the rollups are counted from: the kept contracts' read back now, the
        // generated ones' taken as they are generated (no pass over the new table for them).
        const columns = await loadingColumns(client, STAGING, KEPT, kept, count);
        // FREEZE: the table was created in this transaction, so rows can be written frozen
        // and VACUUM later has nothing to rewrite.
        const copy = client.query(
          copyFrom(`COPY ${STAGING} (reference_id, award_title, notice_title, contractor_id, organization_id, area_id,
            business_category_id, procurement_mode, classification, award_status, amount, approved_budget, award_date, source)
            FROM STDIN WITH (FREEZE)`),
        );
        const onRows = (n: number) => report(COPY_START + ((COPY_END - COPY_START) * n) / Math.max(1, count), `Generated ${n.toLocaleString('en-US')} contracts`);
        await pipeline(Readable.from(utf8Chunks(copyRows(ref, seed, count, dims, columns), CHUNK_BYTES, onRows)), copy);
        await client.query('COMMIT');
        const held = columns.done();
        // The keyword table of the new contracts (imported ones included), swapped in with
        // them; its halves filled on two connections (they see the committed staging contracts).
        report(COPY_END, 'Lower-casing titles for keyword search');
        await createStaging(client, searchPlan);
        await fillSearchStaging(databaseUrl, searchPlan, STAGING);
        let built = 0;
        const indexCount = stagingIndexCount([plan, searchPlan]);
        report(COPY_END, 'Building indexes');
        await buildStagingIndexes(databaseUrl, [plan, searchPlan], {
          connections: opts.indexConnections ?? 2,
          onIndexDone: (name) => {
            built += 1;
            report(COPY_END + ((INDEX_END - COPY_END) * built) / indexCount, `Built index ${name} (${built}/${indexCount})`);
          },
          // The rollups, beside the index builds from the first one (counting them in memory
          // takes this process's core, which the index builds leave idle), on this
          // connection and a second one. Before the swap transaction: readers keep using the
          // old data meanwhile. Also leaves the per-dimension counters in dimension_stats (no
          // scan inside the transaction).
          alongsideFromStart: true,
          alongside: async () => {
            report(0, 'Building rollups beside the indexes');
            const how = await buildRollupsOnTwoConnections(client, STAGING, databaseUrl, { columns: held });
            report(0, how === 'memory' ? 'Rollups built (counted in memory)' : 'Rollups built (by PostgreSQL)');
          },
        });
        report(INDEX_END + 10, 'Checking foreign keys');
        // One transaction from here: the new names, checked foreign keys and counters become
        // visible together with the contracts that use them. Until the swap's LOCK, readers
        // of contracts are not blocked.
        await client.query('BEGIN');
        await settleAll([
          (async () => {
            for (const d of Object.values(dims)) await d.insertNew(client);
            await addStagingForeignKeys(client, plan);
            // The dataset facts of the new table (from its daily rollup: no pass over it), before
            // the swap's lock (readers are not kept waiting); visible together with it at COMMIT.
            await client.query(SEED_DATASET_FACTS_SQL, [kept, count]);
          })(),
          // Meanwhile, on the second connection: VACUUM ANALYZE of the new keyword table (its
          // rows were not written frozen: ~5 s at 5.5M) and ANALYZE of the new rollups. Their
          // statistics and visibility maps stay theirs when they are renamed into place. Done
          // before the swap, whose locks would otherwise wait for them while readers of
          // contracts wait on the swap.
          (async () => {
            await other.query(`VACUUM (ANALYZE) ${stagingName(SEARCH_TABLE)}`);
            await other.query(`ANALYZE ${ROLLUP_TABLES.map(stagingName).join(', ')}`);
          })(),
        ]);
        report(SWAP_START, 'Swapping in the new contracts');
        await swapInStaging(client, plan);
        await swapInStaging(client, searchPlan);
        // Names only the old generated contracts used go; then the counters (fewer rows to write).
        await pruneUnusedDimensions(client);
        await applyDimensionStats(client);
        await client.query(BUMP_DATA_VERSION_SQL);
        await swapInRollups(client);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        await dropStaging(client, 'contracts').catch(() => {});
        await dropStaging(client, SEARCH_TABLE).catch(() => {});
        await dropRollupStaging(client).catch(() => {});
        throw err;
      }
      // Planner statistics and the visibility map (index-only scans) for the new table (its
      // foreign key checks kept VACUUM off it until now); the names' statistics meanwhile.
      report(VACUUM_START, 'VACUUM ANALYZE');
      await settleAll([client.query('VACUUM (ANALYZE) contracts'), other.query('ANALYZE contractors, organizations, areas, business_categories')]);
      report(PROGRESS_TOTAL, `Loaded ${count.toLocaleString('en-US')} contracts`);
    }, () => report(0, 'Waiting for another import or seed to finish'), opts.dataVersion);
  } finally {
    await other.end().catch(() => {});
    await client.end();
  }
  return { contracts: count, ms: Math.round(performance.now() - started) };
}
