// Name normalisation shared by the importer and the generator, so that the same
// contractor written twice ("ACME  CORP " / "ACME CORP") is one dimension row.

/** Trims, collapses inner whitespace to one space and applies Unicode NFC ("Muñoz" composed or not is one name). */
export function normalizeName(raw: string): string {
  return raw.normalize('NFC').replace(/\s+/g, ' ').trim();
}
