// Date and DateTime. Malformed values are rejected with a GraphQLError (not a plain
// Error): graphql-js then reports it as an input coercion error and yoga does not mask
// it, so the client learns exactly what was wrong.
import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder } from './builder.js';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Seconds and a fractional part are required to be explicit about precision; the zone is
// Z or a numeric offset (converted to UTC on input).
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** True when y-m-d names a day that exists (rejects 2023-02-30, month 13, day 0). */
function isCalendarDate(y: number, m: number, d: number): boolean {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d); // not Date.UTC: it maps years 0..99 to 1900..1999
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d && y >= 1;
}

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/** Parses a client-supplied Date; throws a GraphQLError naming the expected form. */
export function parseDate(value: unknown): string {
  if (typeof value !== 'string') throw new GraphQLError(`Date must be a string "YYYY-MM-DD", got ${show(value)}.`);
  const m = DATE_RE.exec(value);
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new GraphQLError(`Date must be a real calendar date written "YYYY-MM-DD" (e.g. "2023-04-01"), got ${show(value)}.`);
  }
  return value;
}

/** Parses a client-supplied DateTime and returns it normalised to UTC ('...Z'). */
export function parseDateTime(value: unknown): string {
  if (typeof value !== 'string') throw new GraphQLError(`DateTime must be an ISO 8601 string, got ${show(value)}.`);
  const m = DATETIME_RE.exec(value);
  const ok =
    m !== null &&
    isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) &&
    Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 60 &&
    !Number.isNaN(Date.parse(value));
  if (!ok) {
    throw new GraphQLError(`DateTime must be an ISO 8601 instant with a zone (e.g. "2023-04-01T08:30:00Z"), got ${show(value)}.`);
  }
  return new Date(value).toISOString();
}

/** Serialises a server-side date (IsoDate string or Date) as 'YYYY-MM-DD'. */
function serializeDate(value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value === 'string' && DATE_RE.test(value)) return value;
  // A server bug, not a client mistake: let masking hide it.
  throw new TypeError(`Cannot serialise ${show(value)} as Date`);
}

/** Serialises a server-side instant (ISO string or Date) as ISO 8601 UTC. */
function serializeDateTime(value: unknown): string {
  const d = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  if (!d || Number.isNaN(d.getTime())) throw new TypeError(`Cannot serialise ${show(value)} as DateTime`);
  return d.toISOString();
}

/**
 * parseLiteral of a scalar written as a string: `parse` of the string, or `notString` for any
 * other literal; errors point at the literal (graphql-js reports a GraphQLError from parseLiteral as is).
 */
function stringLiteral<T>(notString: string, parse: (value: string) => T) {
  return (ast: ValueNode): T => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError(notString, { nodes: ast });
    try {
      return parse(ast.value);
    } catch (err) {
      throw err instanceof GraphQLError ? new GraphQLError(err.message, { nodes: ast }) : err;
    }
  };
}

builder.scalarType('Date', {
  description: 'A calendar date, serialised "YYYY-MM-DD" (e.g. "2023-04-01"). Impossible dates such as "2023-02-30" are rejected.',
  serialize: serializeDate,
  parseValue: parseDate,
  parseLiteral: stringLiteral('Date must be a string "YYYY-MM-DD".', parseDate),
});

builder.scalarType('DateTime', {
  description: 'An instant, serialised as ISO 8601 in UTC (e.g. "2026-11-29T08:30:00.000Z"). Input must carry a zone (Z or ±hh:mm).',
  serialize: serializeDateTime,
  parseValue: parseDateTime,
  parseLiteral: stringLiteral('DateTime must be an ISO 8601 string.', parseDateTime),
});
