// The canonical text of schema.graphql: used by `npm run schema:print` and by the
// test that fails when the committed file differs from the code.
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './index.js';

/** Prints the schema in a stable order (sorted, so moving code between files changes nothing). */
export function printSchemaText(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
