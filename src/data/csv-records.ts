// Streams CSV records with the physical line each starts on, for error messages a
// person can find in the file. csv-parse's own `info.lines` counts a CRLF inside a
// quoted field as two lines; that excess is tracked and subtracted here.
import { createReadStream, type ReadStream } from 'node:fs';
import { parse, type InfoRecord, type Options } from 'csv-parse';

export type CsvRecord = { fields: string[]; line: number };
export type CsvRecordError = { line: number; reason: string };

const PARSE_OPTIONS = {
  bom: true, // exports saved by Excel start with a UTF-8 byte-order mark
  relax_column_count: true, // rows of the wrong width are reported by the caller, not fatal
  relax_quotes: true, // a stray quote inside an unquoted field is data, not an error
  skip_empty_lines: true,
  // Not auto-detected from the first line: a file whose lines end in CRLF and LF mixed
  // (edited by hand, concatenated) must not turn into one giant record.
  record_delimiter: ['\r\n', '\n'],
  skip_records_with_error: true, // an unparseable record is reported (on_skip) and parsing goes on
};

/** Counts line breaks (CRLF, LF or CR) in the record's values, and the CRLFs among them. */
function breaksIn(fields: string[]): { breaks: number; crlf: number } {
  let breaks = 0;
  let crlf = 0;
  for (const f of fields) {
    if (f.indexOf('\n') < 0 && f.indexOf('\r') < 0) continue;
    breaks += f.match(/\r\n|\r|\n/g)?.length ?? 0;
    crlf += f.match(/\r\n/g)?.length ?? 0;
  }
  return { breaks, crlf };
}

/** Iterates a CSV file's records (header included) as they are read; `onError` gets records csv-parse could not parse. */
export async function* readCsvRecords(
  file: string,
  opts: { onError: (e: CsvRecordError) => void; onStream?: (s: ReadStream) => void; maxRecords?: number },
): AsyncGenerator<CsvRecord> {
  // Both callbacks run synchronously in parse order (records may be buffered before the
  // consumer sees them), so line bookkeeping lives here, not in the loop below.
  let excess = 0;
  let lastEnd = 0;
  const options: Options<CsvRecord, string[]> = {
    ...PARSE_OPTIONS,
    ...(opts.maxRecords ? { to: opts.maxRecords } : {}),
    on_record: (record: string[], context: InfoRecord) => {
      const { breaks, crlf } = breaksIn(record);
      excess += crlf;
      lastEnd = context.lines - excess;
      return { fields: record, line: lastEnd - breaks };
    },
    // The only error left with the relaxed options above is a quote never closed, found at
    // the end of the file: the broken record starts right after the last good one.
    on_skip: (err) => {
      if (err) opts.onError({ line: lastEnd + 1, reason: err.message.replace(/ at line \d+/, '') });
      return undefined;
    },
  };
  // csv-parse's typings tie on_record's result type to the `columns` option, which is not used here.
  const parser = parse(options as unknown as Options);
  const input = createReadStream(file);
  opts.onStream?.(input);
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) yield record;
  } finally {
    input.destroy();
    parser.destroy();
  }
}
