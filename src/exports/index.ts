// CSV exports: the engine call (worker side), the files in EXPORT_DIR and their sweeper
// (API and worker sides), and the input's validation (producer side).
export { exportContracts, exportFilename, type ExportRunOptions } from './export.js';
export { normalizeExportInput, toExportInput } from './normalize.js';
export { EXPORT_ID, exportUrl, readMeta, sweepExports, csvPathOf, type ExportMeta } from './files.js';
export { startExportSweeper, type ExportSweeper } from './sweeper.js';
export * from './types.js';
