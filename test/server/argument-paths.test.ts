// Validation paths from the GraphQL argument, read from the schema (the full behaviour
// through the server is test/api/bad-input.test.ts).
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { schema } from '../../src/schema/index.js';
import { inputArgumentOf, rootedAt } from '../../src/server/argument-paths.js';

describe('inputArgumentOf', () => {
  it.each([
    ['Mutation.submitSearch', 'input'],
    ['Mutation.submitAnalyticsTable', 'input'],
    ['Query.contractAnalytics', 'input'],
    ['Query.filterOptions', null], // its arguments are the engine's input
    ['Query.taskStatus', null], // a scalar argument
    ['Query.noSuchField', null],
    ['NoSuchType.field', null],
  ])('%s: %s', (coordinate, argument) => {
    expect(inputArgumentOf(schema, coordinate)).toBe(argument);
  });
});

describe('rootedAt', () => {
  it('prefixes the field and its message with the argument, keeping the reason', () => {
    const rooted = rootedAt(new ValidationError('filters.timeRanges[0].quarter', 'must be 1..4'), 'input');
    expect(rooted).toMatchObject({ field: 'input.filters.timeRanges[0].quarter', reason: 'must be 1..4', message: 'input.filters.timeRanges[0].quarter: must be 1..4' });
    expect(rooted.details).toEqual({ field: 'input.filters.timeRanges[0].quarter' });
  });

  it('leaves the error alone when the arguments are the input', () => {
    const err = new ValidationError('limit', 'must be at most 100');
    expect(rootedAt(err, null)).toBe(err);
  });
});
