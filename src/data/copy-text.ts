// PostgreSQL COPY text format: tab-separated, \N for NULL, backslash escapes.

const SPECIAL = /[\\\t\n\r]/;

/** Escapes a value for a COPY text field (backslash, tab, newline, carriage return). */
export function copyText(value: string): string {
  if (!SPECIAL.test(value)) return value; // the common case: nothing to escape
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** A nullable COPY text field: \N for null. */
export function copyNullable(value: string | null): string {
  return value === null ? '\\N' : copyText(value);
}
