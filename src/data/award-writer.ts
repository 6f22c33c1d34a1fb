// Writes batches of awards: dimension rows upserted by name, contracts upserted by
// reference id, each batch one transaction (a contract is never half-written). A batch
// that PostgreSQL rejects is retried one contract per transaction, so one bad award is
// reported and skipped instead of sinking its neighbours.
import type pg from 'pg';
import { ADD_IMPORTED_BATCH_SQL, BUMP_DATA_VERSION_SQL } from '../db/dataset.js';
import type { AwardRecord } from './award-row.js';
import { SEARCH_COLUMNS, SEARCH_TABLE, SEARCH_UPSERT_CONFLICT, searchRowOf } from './contract-search.js';

export type BatchResult = { inserted: number; updated: number; unchanged: number; failed: { award: AwardRecord; error: string }[] };

type DimensionTable = 'contractors' | 'organizations' | 'areas' | 'business_categories';

// Every column an import sets; an existing contract counts as updated only if one of them
// differs. The contract_search rows of the contracts written go in the same statement.
const UPSERT_SQL = `
WITH written AS (
INSERT INTO contracts (reference_id, award_title, notice_title, contractor_id, organization_id, area_id,
                       business_category_id, procurement_mode, classification, award_status, amount,
                       approved_budget, award_date, source)
SELECT r, t, nt, c, o, a, bc, pm, cl, st, am, ab, d, 'IMPORTED'
  FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::int[], $8::text[],
              $9::text[], $10::text[], $11::numeric[], $12::numeric[], $13::date[])
       AS u(r, t, nt, c, o, a, bc, pm, cl, st, am, ab, d)
ON CONFLICT (reference_id) DO UPDATE SET
  award_title = EXCLUDED.award_title, notice_title = EXCLUDED.notice_title, contractor_id = EXCLUDED.contractor_id,
  organization_id = EXCLUDED.organization_id, area_id = EXCLUDED.area_id,
  business_category_id = EXCLUDED.business_category_id, procurement_mode = EXCLUDED.procurement_mode,
  classification = EXCLUDED.classification, award_status = EXCLUDED.award_status, amount = EXCLUDED.amount,
  approved_budget = EXCLUDED.approved_budget, award_date = EXCLUDED.award_date, source = EXCLUDED.source
WHERE (contracts.award_title, contracts.notice_title, contracts.contractor_id, contracts.organization_id,
       contracts.area_id, contracts.business_category_id, contracts.procurement_mode, contracts.classification,
       contracts.award_status, contracts.amount, contracts.approved_budget, contracts.award_date, contracts.source)
      IS DISTINCT FROM
      (EXCLUDED.award_title, EXCLUDED.notice_title, EXCLUDED.contractor_id, EXCLUDED.organization_id,
       EXCLUDED.area_id, EXCLUDED.business_category_id, EXCLUDED.procurement_mode, EXCLUDED.classification,
       EXCLUDED.award_status, EXCLUDED.amount, EXCLUDED.approved_budget, EXCLUDED.award_date, EXCLUDED.source)
RETURNING *
), searched AS (
INSERT INTO ${SEARCH_TABLE} (${SEARCH_COLUMNS}) SELECT ${searchRowOf('w')} FROM written w ${SEARCH_UPSERT_CONFLICT}
)
SELECT reference_id FROM written`;

/** True for errors caused by the values themselves (SQLSTATE classes 22 data exception, 23 integrity,
 *  54 limits such as an index row too large); anything else (connection lost ...) aborts the import. */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}

/** Writes award batches on one connection, remembering dimension ids between batches. */
export class AwardWriter {
  // name -> id per dimension; only ever holds ids of committed rows (cleared on rollback).
  private readonly ids = new Map<DimensionTable, Map<string, number>>();

  constructor(private readonly client: pg.PoolClient | pg.Client) {}

  /** Upserts the batch (distinct reference ids) in one transaction, or contract by contract if the data is rejected. */
  async write(batch: AwardRecord[]): Promise<BatchResult> {
    try {
      return await this.transaction(batch);
    } catch (err) {
      if (!isDataError(err)) throw err;
      const result: BatchResult = { inserted: 0, updated: 0, unchanged: 0, failed: [] };
      for (const award of batch) {
        try {
          const one = await this.transaction([award]);
          result.inserted += one.inserted;
          result.updated += one.updated;
          result.unchanged += one.unchanged;
        } catch (oneErr) {
          if (!isDataError(oneErr)) throw oneErr;
          result.failed.push({ award, error: (oneErr as Error).message });
        }
      }
      return result;
    }
  }

  private async transaction(batch: AwardRecord[]): Promise<BatchResult> {
    const pending = new Map<DimensionTable, Map<string, number>>();
    await this.client.query('BEGIN');
    try {
      const contractor = await this.resolve('contractors', batch.map((a) => a.contractor), pending);
      const organization = await this.resolve('organizations', batch.map((a) => a.organization), pending);
      const area = await this.resolve('areas', batch.flatMap((a) => (a.area === null ? [] : [a.area])), pending);
      const category = await this.resolve('business_categories', batch.map((a) => a.businessCategory), pending);
      const refs = batch.map((a) => a.referenceId);
      // Existing contracts and their source: an import turns a generated contract it updates into an imported one.
      const existing = new Map(
        (
          await this.client.query<{ r: string; source: string }>('SELECT reference_id AS r, source FROM contracts WHERE reference_id = ANY($1::text[])', [refs])
        ).rows.map((x) => [x.r, x.source]),
      );
      const { rows } = await this.client.query<{ reference_id: string }>(UPSERT_SQL, [
        refs,
        batch.map((a) => a.awardTitle),
        batch.map((a) => a.noticeTitle),
        batch.map((a) => contractor.get(a.contractor)),
        batch.map((a) => organization.get(a.organization)),
        batch.map((a) => (a.area === null ? null : area.get(a.area))),
        batch.map((a) => category.get(a.businessCategory)),
        batch.map((a) => a.procurementMode),
        batch.map((a) => a.classification),
        batch.map((a) => a.awardStatus),
        batch.map((a) => a.amount),
        batch.map((a) => a.approvedBudget),
        batch.map((a) => a.awardDate),
      ]);
      const updated = rows.filter((r) => existing.has(r.reference_id)).length;
      const result = { inserted: rows.length - updated, updated, unchanged: batch.length - rows.length, failed: [] };
      if (rows.length > 0) {
        // The dataset facts follow the data in the same transaction...
        const written = new Set(rows.map((r) => r.reference_id));
        const converted = rows.filter((r) => existing.get(r.reference_id) === 'GENERATED').length;
        const dates = batch.filter((a) => written.has(a.referenceId)).map((a) => a.awardDate);
        await this.client.query(ADD_IMPORTED_BATCH_SQL, [result.inserted, converted, dates]);
        // ...and new data, new version: cached task results computed before this batch are not served again.
        await this.client.query(BUMP_DATA_VERSION_SQL);
      }
      await this.client.query('COMMIT');
      for (const [table, names] of pending) for (const [n, id] of names) this.cache(table).set(n, id);
      return result;
    } catch (err) {
      await this.client.query('ROLLBACK').catch(() => {});
      throw err;
    }
  }

  private cache(table: DimensionTable): Map<string, number> {
    let m = this.ids.get(table);
    if (!m) this.ids.set(table, (m = new Map()));
    return m;
  }

  /** Ids of `names` in `table`, inserting the unknown ones; new ids go to `pending` until COMMIT. */
  private async resolve(table: DimensionTable, names: string[], pending: Map<DimensionTable, Map<string, number>>): Promise<Map<string, number>> {
    const known = this.cache(table);
    const out = new Map<string, number>();
    const missing: string[] = [];
    for (const n of new Set(names)) {
      const id = known.get(n);
      if (id === undefined) missing.push(n);
      else out.set(n, id);
    }
    if (missing.length) {
      await this.client.query(`INSERT INTO ${table} (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`, [missing]);
      const { rows } = await this.client.query<{ id: number; name: string }>(`SELECT id, name FROM ${table} WHERE name = ANY($1::text[])`, [missing]);
      const fresh = new Map(rows.map((r) => [r.name, r.id]));
      pending.set(table, fresh);
      for (const [n, id] of fresh) out.set(n, id);
    }
    return out;
  }
}
