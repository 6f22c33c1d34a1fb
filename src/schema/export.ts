// Exports (API.md "Exports"): the input of submitExport and its result. The file itself is
// served by the download route (src/server/exports-route.ts), not by GraphQL.
import type { ExportInput, ExportResult } from '../exports/types.js';
import { builder } from './builder.js';
import { DimensionEnum } from './enums.js';
import { ContractFilterInput } from './filters.js';

export const ExportInputRef = builder.inputRef<ExportInput>('ExportInput').implement({
  description: 'A CSV export of every contract matching a filter, or of every group of one dimension.',
  fields: (t) => ({
    filters: t.field({ type: ContractFilterInput, required: true, description: 'Which contracts.' }),
    dimension: t.field({
      type: DimensionEnum,
      required: false,
      description:
        'Omitted: one row per contract (award date descending, then referenceId). Set: one row per name of that dimension ' +
        '(total value descending, then label), as analyticsTable computes them.',
    }),
  }),
});

export const ExportResultRef = builder.objectRef<ExportResult>('ExportResult').implement({
  description:
    'A finished CSV export: RFC 4180 (comma, CRLF, double-quote quoting), UTF-8 with a byte-order mark; text cells starting ' +
    'with = + - @ tab or CR are prefixed with \' so spreadsheets do not run them; amounts have two decimals, empty when unknown.',
  fields: (t) => ({
    rows: t.exposeInt('rows', { description: 'Data rows in the file (the header not counted): the totalCount of the same search or table.' }),
    bytes: t.exposeInt('bytes', { description: 'Size of the file as served without compression, in bytes.' }),
    columns: t.exposeStringList('columns', { description: 'The header, in order.' }),
    url: t.exposeString('url', {
      description: 'Where to download it: a path on any API process, "/exports/<id>.csv" (gzip when the client accepts it).',
    }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'After this the file is gone (RESULT_TTL_SECONDS after it was written).' }),
  }),
});
