// The one Pothos builder of the API. Every schema file adds its types to it;
// schema/index.ts imports them all and builds the schema.
import SchemaBuilder from '@pothos/core';
import type { IsoDate } from '../contracts/types.js';
import type { Context } from './context.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  // Fields are non-null unless a field says `nullable: true`: API.md marks the nullable ones.
  DefaultFieldNullability: false;
  Scalars: {
    /** 'YYYY-MM-DD' both ways: the engine's IsoDate. */
    Date: { Input: IsoDate; Output: IsoDate | Date };
    /** ISO 8601 UTC instant; task records store these as strings. */
    DateTime: { Input: string; Output: string | Date };
  };
}>({ defaultFieldNullability: false });

// How errors look, told once where every client looks first.
const ERRORS =
  ' Errors carry extensions.code: BAD_USER_INPUT (with extensions.field, the path of the offending value from the argument, ' +
  'e.g. "input.filters.timeRanges[0].quarter"), NOT_FOUND, QUEUE_FULL, RATE_LIMITED, DATABASE_UNAVAILABLE, REDIS_UNAVAILABLE; ' +
  'anything else is "Unexpected error." with INTERNAL_SERVER_ERROR.';

builder.queryType({ description: `Synchronous questions, task status and task results.${ERRORS}` });
builder.mutationType({
  description: `Asynchronous work: each mutation queues a task (or reuses a cached or running one) and returns a ticket.${ERRORS}`,
});
builder.subscriptionType({ description: 'Live task progress, served over graphql-ws (graphql-transport-ws) and SSE on /graphql.' });
