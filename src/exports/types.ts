// Exports (../shared/API.md, "Exports"): every contract matching a filter, or every group of
// one dimension, as a CSV file written by a worker and downloaded from any API process.
import type { ContractFilter, Dimension, NormalizedFilter } from '../contracts/types.js';

export type ExportInput = {
  filters: ContractFilter;
  /** Absent or null: one row per contract; set: one row per name of that dimension. */
  dimension?: Dimension | null;
};

export type NormalizedExportInput = { filters: NormalizedFilter; dimension: Dimension | null };

export type ExportResult = {
  /** Data rows in the file (the header not counted). */
  rows: number;
  /** Size of the file as served (uncompressed), BOM included. */
  bytes: number;
  /** The header, in order. */
  columns: string[];
  /** Where to download it: a path on the API, "/exports/<id>.csv". */
  url: string;
  /** ISO 8601 instant after which the file is gone. */
  expiresAt: string;
};

/** Header of a contract export (API.md, fixed). */
export const CONTRACT_COLUMNS = [
  'reference_id',
  'award_date',
  'award_title',
  'notice_title',
  'contractor',
  'organization',
  'area',
  'business_category',
  'procurement_mode',
  'amount',
  'approved_budget',
] as const;

/** Header of a group export (API.md, fixed). */
export const GROUP_COLUMNS = ['label', 'count', 'total_value', 'avg_value'] as const;

/** Where export files live and for how long (EXPORT_DIR, RESULT_TTL_SECONDS). */
export type ExportFilesOptions = { dir: string; ttlSeconds: number };
