// Time ranges on the award date. Each input range uses exactly one form: { year },
// { year, quarter } or { from, to } (inclusive, either end open). All of them reduce to
// inclusive from/to dates; ranges are OR'ed, so the normalised list is sorted and
// overlapping or adjacent ranges are merged (Q1 + Q2 of 2023 = 2023-01-01..2023-06-30).
import { ValidationError } from '../errors.js';
import type { IsoDate, NormalizedTimeRange } from './types.js';
import { isAbsent, optionalArray, requireInt, requireObject } from './validate.js';

// Four-digit years keep every date in the YYYY-MM-DD form PostgreSQL and the API use.
const MIN_YEAR = 1;
const MAX_YEAR = 9999;
/** API limit (../shared/API.md): more time ranges are a BAD_USER_INPUT. */
export const MAX_TIME_RANGES = 20;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Number of days in `month` (1..12) of `year`, leap years included. */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Formats a calendar date as YYYY-MM-DD. */
function isoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Returns `v` if it is a real calendar date written YYYY-MM-DD (2023-02-29 is not). */
export function parseIsoDate(v: unknown, field: string): IsoDate {
  const m = typeof v === 'string' ? ISO_DATE.exec(v) : null;
  if (!m) throw new ValidationError(field, 'must be a date written YYYY-MM-DD');
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new ValidationError(field, `${v} is not a calendar date`);
  }
  return v as IsoDate;
}

/** The day after `date`, or null past year 9999. */
function nextDay(date: IsoDate): IsoDate | null {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  const year = d.getUTCFullYear();
  return year > MAX_YEAR ? null : isoDate(year, d.getUTCMonth() + 1, d.getUTCDate());
}

/** Reduces one input range to inclusive bounds, checking it uses exactly one form. */
function normalizeRange(raw: unknown, field: string): NormalizedTimeRange {
  const r = requireObject(raw, field);
  const has = (k: string) => !isAbsent(r[k]);
  if (has('year') || has('quarter')) {
    if (has('from') || has('to')) {
      throw new ValidationError(field, 'use either year (and quarter) or from/to, not both');
    }
    if (!has('year')) throw new ValidationError(`${field}.quarter`, 'needs a year');
    const year = requireInt(r.year, `${field}.year`, MIN_YEAR, MAX_YEAR);
    if (!has('quarter')) return { from: isoDate(year, 1, 1), to: isoDate(year, 12, 31) };
    const quarter = requireInt(r.quarter, `${field}.quarter`, 1, 4);
    const lastMonth = quarter * 3;
    return { from: isoDate(year, lastMonth - 2, 1), to: isoDate(year, lastMonth, daysInMonth(year, lastMonth)) };
  }
  if (!has('from') && !has('to')) {
    throw new ValidationError(field, 'needs a year, a year and quarter, or from and/or to');
  }
  const from = has('from') ? parseIsoDate(r.from, `${field}.from`) : null;
  const to = has('to') ? parseIsoDate(r.to, `${field}.to`) : null;
  if (from !== null && to !== null && from > to) throw new ValidationError(`${field}.from`, `${from} is after to (${to})`);
  return { from, to };
}

/**
 * Normalises the list of time ranges at `field` (e.g. `filters.timeRanges`): validated,
 * reduced to inclusive bounds, sorted, overlapping/adjacent ranges merged. A list that
 * covers every date becomes empty (no filter), which means the same thing.
 */
export function normalizeTimeRanges(raw: unknown, field: string): NormalizedTimeRange[] {
  const list = optionalArray(raw, field, MAX_TIME_RANGES, 'time ranges');
  const ranges = list.map((r, i) => normalizeRange(r, `${field}[${i}]`));
  // ISO dates order as strings; an open start sorts first, an open end last.
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  ranges.sort((a, b) => cmp(a.from ?? '', b.from ?? '') || cmp(a.to ?? '~', b.to ?? '~'));
  const merged: NormalizedTimeRange[] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    const touches = last && (last.to === null || r.from === null || r.from <= (nextDay(last.to) ?? last.to));
    if (last && touches) {
      last.to = last.to === null || r.to === null ? null : r.to > last.to ? r.to : last.to;
    } else {
      merged.push({ ...r });
    }
  }
  return merged.length === 1 && merged[0]!.from === null && merged[0]!.to === null ? [] : merged;
}

/** The canonical input form of a normalised range: { from, to } with open ends omitted. */
export function toTimeRangeInput(r: NormalizedTimeRange): { from?: IsoDate; to?: IsoDate } {
  return { ...(r.from !== null ? { from: r.from } : {}), ...(r.to !== null ? { to: r.to } : {}) };
}
