// Validation and canonical form of an ExportInput, built on the engine's filter
// normalisation, so an export's filter means exactly what a search's does and equal exports
// get equal cache keys.
import { normalizeFilter, toContractFilter } from '../contracts/normalize.js';
import { DIMENSIONS } from '../contracts/types.js';
import { isAbsent, requireEnum, requireObject } from '../contracts/validate.js';
import type { ExportInput, NormalizedExportInput } from './types.js';

/** Validates an ExportInput; throws ValidationError naming the field (`filters.minAmount`, `dimension`). */
export function normalizeExportInput(raw: ExportInput): NormalizedExportInput {
  const r = requireObject(raw, 'input');
  return {
    filters: normalizeFilter(r.filters),
    dimension: isAbsent(r.dimension) ? null : requireEnum(r.dimension, 'dimension', DIMENSIONS),
  };
}

/** Canonical raw ExportInput of `n`: normalizeExportInput(toExportInput(n)) deep-equals n. */
export function toExportInput(n: NormalizedExportInput): ExportInput {
  return { filters: toContractFilter(n.filters), dimension: n.dimension };
}
