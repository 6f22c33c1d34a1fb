// CSV as RFC 4180 writes it: comma separated, CRLF line ends, a cell quoted (with inner
// quotes doubled) only when it holds a comma, a quote, CR or LF. Text cells that a
// spreadsheet would run as a formula get a leading apostrophe; numbers never do.

/** UTF-8 byte-order mark: spreadsheet programs then read ñ and other letters correctly. */
export const BOM = '\uFEFF';
export const CRLF = '\r\n';

// = + - @ start a formula in Excel, LibreOffice and Google Sheets; a leading tab or CR is
// stripped by some of them, uncovering what follows (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One text cell: '' for null, formula-guarded, quoted when needed. */
export function textCell(value: string | null): string {
  if (value === null) return '';
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** One number cell, already formatted by PostgreSQL ('1234567.50', '42'); '' for null. Never altered. */
export function numberCell(value: string | null): string {
  return value ?? '';
}

/** A header or data line: cells joined by commas, ended by CRLF. */
export function line(cells: readonly string[]): string {
  return cells.join(',') + CRLF;
}
