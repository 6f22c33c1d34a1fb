// Which CSV column holds what, matched by header name (never by position). PhilGEPS
// renamed columns over the years: the 46-column export since 2024 and the older
// 2021-2024 CSVs / 2000-2020 XLSX exports name the same data differently.

/** The award fields the importer reads. */
export type AwardField =
  | 'reference' | 'awardee' | 'awardDate' | 'procuringEntity' | 'businessCategory' | 'awardTitle' | 'noticeTitle'
  | 'contractAmount' | 'approvedBudget' | 'areaOfDelivery' | 'procurementMode' | 'classification' | 'awardStatus';

/** Header names per field, current name first. */
const ALIASES: Record<AwardField, string[]> = {
  reference: ['Award Reference No.', 'Award No.', 'Award Reference Number'],
  awardee: ['Awardee Organization Name', 'Awardee Corporate Title', 'Awardee Name'],
  awardDate: ['Award Date'],
  procuringEntity: ['Procuring Entity (PE)', 'Procuring Entity', 'Organization Name'],
  businessCategory: ['Business Category'],
  awardTitle: ['Award Title'],
  noticeTitle: ['Notice Title', 'Tender Title'],
  contractAmount: ['Contract Amount'],
  approvedBudget: ['Approved Budget of the Contract', 'Approved Budget', 'ABC'],
  areaOfDelivery: ['Area of Delivery'],
  procurementMode: ['Procurement Mode'],
  classification: ['Classification'],
  awardStatus: ['Award Notice Status', 'Award Status'],
};

/** Used for the award date only when a file has no Award Date column at all. */
const AWARD_DATE_FALLBACK = ['Published Date(Award)', 'Publish Date(Award)'];

const REQUIRED: AwardField[] = ['reference', 'awardee', 'awardDate', 'procuringEntity', 'businessCategory', 'contractAmount'];

/** Column index of every field the file has (-1: absent), and the header's width. */
export type ColumnMap = { index: Record<AwardField, number>; width: number };

/** Compares header names ignoring case, spacing and punctuation ("Published Date (Award)" = "Published Date(Award)"). */
function headerKey(name: string): string {
  return name.replace(/^\uFEFF/, '').toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** Thrown when a file lacks a column the importer cannot do without. */
export class MissingColumnsError extends Error {
  override name = 'MissingColumnsError';
}

/** Resolves the header row into a ColumnMap; throws MissingColumnsError naming every missing column. */
export function resolveColumns(header: string[]): ColumnMap {
  const positions = new Map<string, number>();
  header.forEach((h, i) => {
    const key = headerKey(h);
    if (!positions.has(key)) positions.set(key, i); // first wins if a name repeats
  });
  const find = (names: string[]) => names.map((n) => positions.get(headerKey(n))).find((i) => i !== undefined) ?? -1;
  const index = Object.fromEntries((Object.keys(ALIASES) as AwardField[]).map((f) => [f, find(ALIASES[f])])) as Record<AwardField, number>;
  if (index.awardDate < 0) index.awardDate = find(AWARD_DATE_FALLBACK);
  const missing = REQUIRED.filter((f) => index[f] < 0).map((f) => ALIASES[f].map((n) => `"${n}"`).join(' or '));
  if (index.awardTitle < 0 && index.noticeTitle < 0) missing.push('"Award Title" or "Notice Title"');
  if (missing.length) throw new MissingColumnsError(`missing column(s): ${missing.join('; ')}`);
  return { index, width: header.length };
}
