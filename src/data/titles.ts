// Award and notice titles for generated contracts: a subject from the category vocabularies
// (vocabulary.ts), with the places, reference numbers, lots, periods, fund sources and
// remarks real titles carry (title-parts.ts), in the shapes of the real export
// (awards-2024q4-sample.csv): long decorated titles, short bare ones ("Fuel (Diesel)",
// "1 Lot Medical Supplies", "2024-11-389"), and a quarter of awards whose title is a
// shortened form of the notice's (cut at 50 characters, the item alone, a PR number).
// test/data/generate-skew.test.ts checks distinct-title share, lengths and word mix
// against the real sample.
import type { Rng } from './random.js';
import { PURCHASE_VERBS, barangayPhrase, placePhrase, purposeClause, quantityMark, referenceNumber, suffixes, type TitleDate } from './title-parts.js';
import { CATEGORY_VOCABULARIES, COMMON_LISTS, GENERIC_VOCABULARIES, type Vocabulary } from './vocabulary.js';

export type { TitleDate } from './title-parts.js';

// A compiled template: literal text, a list to pick from, YEAR (the contract's own), or a
// place: `lead` is the text joining it to the title (", ", " at "), left out with the place.
const YEAR = 1;
type Place = { lead: string; inBarangay: boolean; barangay?: true };
type Part = string | readonly string[] | Place | typeof YEAR;
type Template = readonly Part[];

/** The two titles of one contract. */
export type Titles = { award: string; notice: string };

/** Writes titles for one business category. */
export type TitleMaker = {
  /** Award and notice titles of a contract in `province` (an area name) awarded at `date`. */
  make(rng: Rng, province: string, date: TitleDate): Titles;
};

/** Share of titles that are short and bare (an item, a quantity and an item, a reference number). */
const SHORT_SHARE = 0.22;
/** Share of the other titles that start with a reference number ("PR 24-4443 Venue rental ..."). */
const NUMBERED_SHARE = 0.12;
/** Share of contracts whose award title is a shortened form of the notice title (sample: 36 of 144). */
const SHORTENED_AWARD_SHARE = 0.25;
/** Share of titles published in capitals, as many agencies do (sample: 37 of 144). */
const UPPER_CASE_SHARE = 0.25;
/** PhilGEPS cuts some award titles at this many characters ("Online Research Resources (Informs PubsOnlin"). */
const CUT_LENGTH = 50;

/** Splits "Concreting of {road}, {place}" into literal and list parts, resolving list names now. */
function compile(source: string, vocabulary: Vocabulary, category: string): Template {
  // "Barangay {brgy}" is a place too: written several ways, and often left out.
  const template = source.replace(/Barangay \{brgy\}/g, '{barangay}');
  const parts: Part[] = [];
  const re = /\{(\w+)\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    const name = m[1]!;
    if (name === 'place' || name === 'barangay') {
      // The literal before {place} ends with its lead (", ", " at " ...): keep them together.
      const prev = parts[parts.length - 1];
      const lead = typeof prev === 'string' ? (/(,| at| in| of)? ?$/.exec(prev)?.[0] ?? '') : '';
      if (lead && typeof prev === 'string') parts[parts.length - 1] = prev.slice(0, prev.length - lead.length);
      parts.push(name === 'barangay' ? { lead, inBarangay: false, barangay: true } : { lead, inBarangay: /\{(brgy|barangay)\}/.test(template) });
    }
    else if (name === 'year') parts.push(YEAR);
    else if (name === 'cat') parts.push(nameVariants(category));
    else if (name === 'catLower') parts.push(nameVariants(category).map((v) => v.toLowerCase()));
    else {
      const list = vocabulary.lists?.[name] ?? COMMON_LISTS[name];
      if (!list?.length) throw new Error(`Vocabulary template "${template}" names an unknown list {${name}}`);
      parts.push(list);
    }
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

/** Share of titles that leave out a place their template has (real titles often name none). */
const NO_PLACE_SHARE = 0.45;

/** A category name as titles use it: whole, or one side of its "and" / "&" / "/" ("Laboratory Supplies"). */
function nameVariants(category: string): string[] {
  const sides = category.split(/ and | & |\/| \(/).map((x) => x.replace(/\)$/, '').trim()).filter((x) => x.length > 2);
  return sides.length > 1 ? [category, ...sides] : [category];
}

/** Renders a compiled template; every {place} is a fresh place phrase in `province`, or left out. */
function render(template: Template, rng: Rng, province: string, year: string): string {
  let out = '';
  for (const part of template) {
    if (part === YEAR) out += year;
    else if (typeof part === 'string') out += part;
    else if (Array.isArray(part)) out += part[rng.int(part.length)]!;
    else {
      const place = part as Place;
      if (rng.next() >= NO_PLACE_SHARE) out += place.lead + (place.barangay ? barangayPhrase(rng) : placePhrase(rng, province, place.inBarangay));
    }
  }
  if (out.startsWith(SUPPLY)) out = PURCHASE_VERBS[rng.int(PURCHASE_VERBS.length)]! + out.slice(SUPPLY.length);
  // Many real titles stop at what is bought; some say at length what it is for.
  const r = rng.next();
  if (r < NO_PURPOSE_SHARE) {
    const cut = out.indexOf(' for ', 12);
    if (cut > 0) out = out.slice(0, cut);
  } else if (r < NO_PURPOSE_SHARE + LONG_PURPOSE_SHARE) out += purposeClause(rng);
  return out.charAt(0).toUpperCase() === out.charAt(0) ? out : out.charAt(0).toUpperCase() + out.slice(1);
}
const SUPPLY = 'Supply and delivery of ';
/** Share of subjects cut before their " for ..." clause, and share given a long purpose clause. */
const NO_PURPOSE_SHARE = 0.38;
const LONG_PURPOSE_SHARE = 0.2;

const OBJECT_END = /,| for | at | along | in | to | per /;

/** What a subject is about, as a bare short title: "drugs and medicines" of "Procurement of drugs and medicines for ...". */
function objectOf(subject: string): string {
  const of = subject.indexOf(' of ');
  const rest = of >= 0 && of < 40 ? subject.slice(of + 4) : subject;
  const end = rest.search(OBJECT_END);
  let object = end > 0 ? rest.slice(0, end) : rest;
  if (object.startsWith('the ')) object = object.slice(4);
  return object.charAt(0).toUpperCase() + object.slice(1);
}

/** A short bare title made from the subject's object. */
function shortTitle(rng: Rng, subject: string, date: TitleDate): string {
  const object = objectOf(subject);
  const r = rng.next();
  if (r < 0.4) return object;
  if (r < 0.65) return quantityMark(rng) + object;
  if (r < 0.75) return referenceNumber(rng, date);
  if (r < 0.9) return `${referenceNumber(rng, date)} ${object}`;
  return `${object} (${referenceNumber(rng, date)})`;
}

/** The award title of a contract whose notice title is `notice`, when the award's is shorter. */
function shortenedAward(rng: Rng, notice: string, subject: string, date: TitleDate): string {
  const r = rng.next();
  if (r < 0.35 && notice.length > CUT_LENGTH) return notice.slice(0, CUT_LENGTH).trimEnd();
  if (r < 0.65) return objectOf(subject);
  if (r < 0.8) return referenceNumber(rng, date);
  const words = subject.split(' ');
  return words.slice(0, 2 + rng.int(5)).join(' ');
}

/** The vocabulary used for a category: its specific one, else a generic one keyed by words of its name. */
export function vocabularyFor(category: string): Vocabulary {
  const rule = CATEGORY_VOCABULARIES.find((r) => r.match.test(category)) ?? GENERIC_VOCABULARIES.find((r) => r.match.test(category));
  return rule!.vocabulary; // the last generic rule matches every name
}

/** Builds the title maker of a category. */
export function createTitleMaker(category: string): TitleMaker {
  const vocabulary = vocabularyFor(category);
  const templates = vocabulary.templates.map((t) => compile(t, vocabulary, category));
  return {
    make: (rng, province, date) => {
      const subject = render(templates[rng.int(templates.length)]!, rng, province, String(date.year));
      const short = rng.next() < SHORT_SHARE;
      let notice = short ? shortTitle(rng, subject, date) : subject + suffixes(rng, date);
      if (!short && rng.next() < NUMBERED_SHARE) notice = `${referenceNumber(rng, date)} ${notice}`;
      let award = notice;
      if (!short && rng.next() < SHORTENED_AWARD_SHARE / (1 - SHORT_SHARE)) {
        // A notice whose award carries a short title is usually a long, detailed one.
        notice += (rng.next() < 0.5 ? purposeClause(rng) : '') + suffixes(rng, date);
        award = shortenedAward(rng, notice, subject, date);
      }
      if (rng.next() < UPPER_CASE_SHARE) {
        notice = notice.toUpperCase();
        award = award.toUpperCase();
      }
      return { award, notice };
    },
  };
}
