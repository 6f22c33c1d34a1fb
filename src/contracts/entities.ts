// Entities: one contractor, organization, area or category by its exact name, the way a
// client drills down from a chart bar or a table row. Unlike chips, names are compared
// exactly and case-sensitively ("ABC CONSTRUCTION" is neither "ABC CONSTRUCTION & SUPPLY"
// nor "Abc Construction"), so normalisation only trims: it never lower-cases.
import { ValidationError } from '../errors.js';
import { DIMENSIONS, UNSPECIFIED_AREA, type NormalizedEntity } from './types.js';
import { optionalArray, requireEnum, requireObject } from './validate.js';

/** API limits (../shared/API.md): more entities, or an empty or longer name, is a BAD_USER_INPUT. */
export const MAX_ENTITIES = 50;
export const MAX_ENTITY_NAME_LENGTH = 300;

/** Code-unit order: the same on every machine and locale, so cache keys agree. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Validates and normalises a filter's entities found at `field` (e.g. `filters.entities`):
 * names trimmed (not empty, at most 300 characters), duplicates dropped, sorted by
 * dimension (DIMENSIONS order) then name.
 */
export function normalizeEntities(raw: unknown, field: string): NormalizedEntity[] {
  const list = optionalArray(raw, field, MAX_ENTITIES, 'entities');
  const byKey = new Map<string, NormalizedEntity>();
  list.forEach((item, i) => {
    const e = requireObject(item, `${field}[${i}]`);
    const dimension = requireEnum(e.dimension, `${field}[${i}].dimension`, DIMENSIONS);
    if (typeof e.name !== 'string') throw new ValidationError(`${field}[${i}].name`, 'must be a string');
    const name = e.name.trim();
    if (name === '') throw new ValidationError(`${field}[${i}].name`, 'must not be empty');
    if (name.length > MAX_ENTITY_NAME_LENGTH) {
      throw new ValidationError(`${field}[${i}].name`, `must be at most ${MAX_ENTITY_NAME_LENGTH} characters`);
    }
    byKey.set(JSON.stringify([dimension, name]), { dimension, name });
  });
  return [...byKey.values()].sort(
    (a, b) => DIMENSIONS.indexOf(a.dimension) - DIMENSIONS.indexOf(b.dimension) || compareText(a.name, b.name),
  );
}

/**
 * What the entities select in one dimension: the exact `names` to look up in its table, and
 * whether contracts without a value match (only AREA, through the name '(unspecified)');
 * null when the filter has no entity of that dimension.
 */
export function entitiesOf(entities: NormalizedEntity[], dimension: NormalizedEntity['dimension']): { names: string[]; missing: boolean } | null {
  const mine = entities.filter((e) => e.dimension === dimension);
  if (mine.length === 0) return null;
  const missing = dimension === 'AREA' && mine.some((e) => e.name === UNSPECIFIED_AREA);
  return { names: mine.filter((e) => !(missing && e.name === UNSPECIFIED_AREA)).map((e) => e.name), missing };
}
