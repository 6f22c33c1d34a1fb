// Award and notice titles for generated contracts, from the category vocabularies.
import type { Rng } from './random.js';
import { CATEGORY_VOCABULARIES, COMMON_LISTS, GENERIC_VOCABULARIES, NOTICE_SUFFIXES, type Vocabulary } from './vocabulary.js';

// A compiled template: literal text, a list to pick from, or PLACE / YEAR (the contract's own).
const PLACE = 0;
const YEAR = 1;
type Part = string | readonly string[] | typeof PLACE | typeof YEAR;
type Template = readonly Part[];

/** Writes titles for one business category. */
export type TitleMaker = {
  /** An award title mentioning `place` and `year` (the award's) where the template has them. */
  award(rng: Rng, place: string, year: string): string;
  /** The notice title: usually the award title itself, otherwise the award title extended by a suffix. */
  notice(rng: Rng, awardTitle: string, year: string): string;
};

/** Share of notice titles that extend (rather than equal) the award title. */
const NOTICE_EXTENDED_SHARE = 0.35;
/** Share of titles published in capitals, as many agencies do ("SUPPLY AND DELIVERY OF ..."). */
const UPPER_CASE_SHARE = 0.35;

/** Splits "Concreting of {road}, {place}" into literal and list parts, resolving list names now. */
function compile(template: string, vocabulary: Vocabulary, category: string): Template {
  const parts: Part[] = [];
  const re = /\{(\w+)\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    const name = m[1]!;
    if (name === 'place') parts.push(PLACE);
    else if (name === 'year') parts.push(YEAR);
    else if (name === 'cat') parts.push(category);
    else if (name === 'catLower') parts.push(category.toLowerCase());
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

/** Renders a compiled template. */
function render(template: Template, rng: Rng, place: string, year: string): string {
  let out = '';
  for (const part of template) {
    if (part === PLACE) out += place;
    else if (part === YEAR) out += year;
    else if (typeof part === 'string') out += part;
    else out += part[rng.int(part.length)]!;
  }
  return out;
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
  const suffixes = NOTICE_SUFFIXES.map((t) => compile(t, vocabulary, category));
  return {
    award: (rng, place, year) => {
      const title = render(templates[rng.int(templates.length)]!, rng, place, year);
      return rng.next() < UPPER_CASE_SHARE ? title.toUpperCase() : title;
    },
    notice: (rng, awardTitle, year) => {
      if (rng.next() >= NOTICE_EXTENDED_SHARE) return awardTitle;
      const suffix = render(suffixes[rng.int(suffixes.length)]!, rng, '', year);
      return awardTitle + (awardTitle === awardTitle.toUpperCase() ? suffix.toUpperCase() : suffix);
    },
  };
}
