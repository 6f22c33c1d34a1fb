// One CSV record of the award export -> an award to store, a skip (not an award) or a
// malformed-row reason. Values follow the export's conventions: the literal `NULL` for
// missing, DD/MM/YYYY dates, plain decimal amounts.
import type { AwardField, ColumnMap } from './award-columns.js';
import { normalizeName } from './normalize.js';
import { UNSPECIFIED_AREA, type AwardDescription } from '../contracts/types.js';

/** An awarded contract as read from one row (the first row of its line items); amounts stay decimal text. */
export type AwardRecord = { line: number } & AwardDescription & {
  classification: string | null;
  awardStatus: string | null;
  amount: string | null;
  approvedBudget: string | null;
  awardDate: string;
};

/** Why a row of a notice that was never awarded is skipped (these are normal, not errors). */
export type SkipReason = 'noAwardReference' | 'noAwardee' | 'noAwardDate';
export type RowResult = { award: AwardRecord } | { skip: SkipReason } | { malformed: string };

/** NUMERIC(20,2): 18 digits before the decimal point. */
const MAX_INTEGER_DIGITS = 18;

/** The trimmed value, or null for an absent column, an empty field or the literal NULL. */
export function nullable(value: string | undefined): string | null {
  if (value === undefined) return null;
  const v = value.trim();
  return v === '' || v.toUpperCase() === 'NULL' ? null : v;
}

/** 'DD/MM/YYYY' (optionally with a time, which is dropped) or 'YYYY-MM-DD' -> 'YYYY-MM-DD'; undefined if not a real date. */
export function parseDate(value: string): string | undefined {
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AP]M)?)?$/i.exec(value);
  let day: number, month: number, year: number;
  if (m) [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T][\d:.]+Z?)?$/.exec(value))) [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else return undefined;
  const d = new Date(Date.UTC(year, month - 1, day));
  // Round-trip check rejects 31/02/2024 and month 13.
  if (year < 1900 || year > 2100 || d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A plain non-negative decimal ("1234.50", also "1,234.50") -> canonical text; a string reason if it is not one. */
export function parseAmount(value: string): { amount: string } | { error: string } {
  const plain = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(value) ? value.replace(/,/g, '') : value;
  const m = /^(\d+)(\.\d+)?$/.exec(plain);
  if (!m) return { error: /^-\d/.test(plain) ? 'negative amount' : 'not a number' };
  const integer = m[1]!.replace(/^0+(?=\d)/, '');
  if (integer.length > MAX_INTEGER_DIGITS) return { error: 'amount too large' };
  return { amount: integer + (m[2] ?? '') };
}

/** Classifies one data record; `line` is where it starts in the file (1 = header). */
export function readAwardRow(record: string[], columns: ColumnMap, line: number): RowResult {
  if (record.length !== columns.width) return { malformed: `expected ${columns.width} fields, found ${record.length}` };
  const get = (f: AwardField) => (columns.index[f] < 0 ? null : nullable(record[columns.index[f]]));
  const referenceId = get('reference');
  if (referenceId === null) return { skip: 'noAwardReference' };
  const contractor = get('awardee');
  if (contractor === null) return { skip: 'noAwardee' };
  const rawDate = get('awardDate');
  if (rawDate === null) return { skip: 'noAwardDate' };
  const awardDate = parseDate(rawDate);
  if (!awardDate) return { malformed: `Award Date "${rawDate}" is not a DD/MM/YYYY date` };
  const organization = get('procuringEntity');
  if (organization === null) return { malformed: 'no procuring entity' };
  const businessCategory = get('businessCategory');
  if (businessCategory === null) return { malformed: 'no business category' };
  const noticeTitle = get('noticeTitle');
  const awardTitle = get('awardTitle') ?? noticeTitle; // some older rows only have the notice's title
  if (awardTitle === null) return { malformed: 'no award title or notice title' };
  const money = (field: AwardField, label: string): { value: string | null } | { malformed: string } => {
    const raw = get(field);
    if (raw === null) return { value: null };
    const parsed = parseAmount(raw);
    return 'error' in parsed ? { malformed: `${label} "${raw}": ${parsed.error}` } : { value: parsed.amount };
  };
  const amount = money('contractAmount', 'Contract Amount');
  if ('malformed' in amount) return amount;
  const budget = money('approvedBudget', 'Approved Budget');
  if ('malformed' in budget) return budget;
  const area = get('areaOfDelivery');
  return {
    award: {
      line,
      referenceId: normalizeName(referenceId),
      awardTitle,
      noticeTitle,
      contractor: normalizeName(contractor),
      organization: normalizeName(organization),
      // The API labels contracts without an area '(unspecified)'; an area of that name would be
      // indistinguishable from them (and the drill-down on it ambiguous), so it is no area.
      area: area === null || normalizeName(area) === UNSPECIFIED_AREA ? null : normalizeName(area),
      businessCategory: normalizeName(businessCategory),
      procurementMode: get('procurementMode'),
      classification: get('classification'),
      awardStatus: get('awardStatus'),
      amount: amount.value,
      approvedBudget: budget.value,
      awardDate,
    },
  };
}
