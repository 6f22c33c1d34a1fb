import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';

const scalar = (name: string) => schema.getType(name) as GraphQLScalarType;

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphQLError); // a GraphQLError is reported, not masked
    return (err as Error).message;
  }
  throw new Error('expected a rejection');
}

describe('Date scalar', () => {
  it.each(['2023-04-01', '2024-02-29', '2000-02-29', '0001-01-01'])('accepts %s', (value) => {
    expect(scalar('Date').parseValue(value)).toBe(value);
    expect(scalar('Date').parseLiteral({ kind: Kind.STRING, value })).toBe(value);
  });

  it.each([
    ['2023-02-30', 'real calendar date'],
    ['2023-02-29', 'real calendar date'], // not a leap year
    ['1900-02-29', 'real calendar date'],
    ['2023-13-01', 'real calendar date'],
    ['2023-00-10', 'real calendar date'],
    ['2023-04-00', 'real calendar date'],
    ['2023-4-1', '"YYYY-MM-DD"'],
    ['01/04/2023', '"YYYY-MM-DD"'],
    ['2023-04-01T00:00:00Z', '"YYYY-MM-DD"'],
    ['', '"YYYY-MM-DD"'],
  ])('rejects %j with a message saying what is expected', (value, expected) => {
    const message = rejection(() => scalar('Date').parseValue(value));
    expect(message).toContain(expected);
    expect(message).toContain(JSON.stringify(value));
  });

  it('rejects non-strings', () => {
    expect(rejection(() => scalar('Date').parseValue(20230401))).toBe('Date must be a string "YYYY-MM-DD", got 20230401.');
    expect(rejection(() => scalar('Date').parseLiteral({ kind: Kind.INT, value: '20230401' }))).toContain('Date must be a string');
  });

  it('serialises IsoDate strings and Date objects as YYYY-MM-DD', () => {
    expect(scalar('Date').serialize('2023-04-01')).toBe('2023-04-01');
    expect(scalar('Date').serialize(new Date(Date.UTC(2023, 3, 1)))).toBe('2023-04-01');
  });
});

describe('DateTime scalar', () => {
  it.each([
    ['2026-11-29T08:30:00Z', '2026-11-29T08:30:00.000Z'],
    ['2026-11-29T08:30:00.123Z', '2026-11-29T08:30:00.123Z'],
    ['2026-11-29T16:30:00+08:00', '2026-11-29T08:30:00.000Z'],
  ])('accepts %s as %s (UTC)', (value, utc) => {
    expect(scalar('DateTime').parseValue(value)).toBe(utc);
  });

  it.each(['2026-11-29', '2026-11-29T08:30:00', '2026-11-29 08:30:00Z', '2026-02-30T08:30:00Z', '2026-11-29T24:00:00Z', '2026-11-29T08:61:00Z', 'yesterday', ''])(
    'rejects %j with a message saying what is expected',
    (value) => {
      const message = rejection(() => scalar('DateTime').parseValue(value));
      expect(message).toBe(`DateTime must be an ISO 8601 instant with a zone (e.g. "2023-04-01T08:30:00Z"), got ${JSON.stringify(value)}.`);
    },
  );

  it('serialises ISO strings and Date objects in UTC', () => {
    expect(scalar('DateTime').serialize('2026-11-29T16:30:00+08:00')).toBe('2026-11-29T08:30:00.000Z');
    expect(scalar('DateTime').serialize(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
  });
});
