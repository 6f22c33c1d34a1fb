// Where a field's engine input comes from, read from the schema, so that the engine's
// ValidationError paths ('filters.timeRanges[0].quarter', relative to its input object)
// reach clients as paths from the GraphQL argument ('input.filters.timeRanges[0].quarter').
import { getNamedType, isInputObjectType, isObjectType, type GraphQLSchema } from 'graphql';
import { ValidationError } from '../errors.js';

/**
 * The argument that carries the engine input of the field at `coordinate` ("Mutation.submitSearch"):
 * its only argument when that is an input object (`input`); null when the field's arguments are
 * themselves the input (filterOptions' dimension, search, limit) or the field is unknown.
 */
export function inputArgumentOf(schema: GraphQLSchema, coordinate: string): string | null {
  const [typeName, fieldName] = coordinate.split('.');
  const type = typeName ? schema.getType(typeName) : undefined;
  const field = isObjectType(type) && fieldName ? type.getFields()[fieldName] : undefined;
  const [only, ...others] = field?.args ?? [];
  return only && others.length === 0 && isInputObjectType(getNamedType(only.type)) ? only.name : null;
}

/** `err` with its field rooted at `argument` ('filters.minAmount' -> 'input.filters.minAmount'); unchanged when `argument` is null. */
export function rootedAt(err: ValidationError, argument: string | null): ValidationError {
  if (!argument) return err;
  return new ValidationError(err.field ? `${argument}.${err.field}` : argument, err.reason);
}
