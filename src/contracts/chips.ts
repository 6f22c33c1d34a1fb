// Filter chips: the strings a user types into a filter ("petron", "road && concreting").
// A chip matches case-insensitively as a substring; `&&` inside a chip means every part
// must match. The normalised form is what the engine runs and what cache keys hash, so two
// chips that mean the same thing must normalise to the same value.
import { ValidationError } from '../errors.js';
import type { Chip } from './types.js';
import { optionalArray } from './validate.js';

/** API limits (../shared/API.md): more chips or longer chips are a BAD_USER_INPUT. */
export const MAX_CHIPS_PER_DIMENSION = 50;
export const MAX_CHIP_LENGTH = 200;
export const MAX_CHIP_PARTS = 8;

/** Separator of the parts of one chip. */
const PART_SEPARATOR = '&&';

/**
 * Normalises one dimension's chips: each chip trimmed, lower-cased and split on `&&` into
 * trimmed non-empty parts (de-duplicated, sorted); empty chips dropped; chips de-duplicated
 * and sorted. `field` is the input path of the list, e.g. `filters.keywords`.
 */
export function normalizeChips(raw: unknown, field: string): Chip[] {
  const list = optionalArray(raw, field, MAX_CHIPS_PER_DIMENSION, 'chips');
  const byKey = new Map<string, Chip>();
  list.forEach((chip, i) => {
    if (typeof chip !== 'string') throw new ValidationError(`${field}[${i}]`, 'must be a string');
    const trimmed = chip.trim();
    if (trimmed.length > MAX_CHIP_LENGTH) {
      throw new ValidationError(`${field}[${i}]`, `must be at most ${MAX_CHIP_LENGTH} characters`);
    }
    const split = trimmed.toLowerCase().split(PART_SEPARATOR).map((p) => p.trim()).filter((p) => p !== '');
    // Each part is one more trigram search in the same statement: bound the work one chip can ask for.
    if (split.length > MAX_CHIP_PARTS) {
      throw new ValidationError(`${field}[${i}]`, `at most ${MAX_CHIP_PARTS} parts joined by && are allowed in a chip, got ${split.length}`);
    }
    const parts = [...new Set(split)].sort();
    if (parts.length > 0) byKey.set(chipToString(parts), parts);
  });
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}

/** The canonical text of a normalised chip; normalising it again gives the same chip. */
export function chipToString(chip: Chip): string {
  // No spaces around the separator: the canonical text is never longer than the input was.
  return chip.join(PART_SEPARATOR);
}

/** `text` with LIKE's wildcards `%`, `_` and its escape `\` escaped, so that a LIKE pattern matches it literally. */
export function escapeLike(text: string): string {
  // Backslash is PostgreSQL's default LIKE escape character.
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIKE pattern matching `part` as a literal substring: `%`, `_` and `\` are escaped. */
export function containsPattern(part: string): string {
  return `%${escapeLike(part)}%`;
}
