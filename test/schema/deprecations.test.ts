// The API metrics do not count uses of deprecated fields (graphql_envelop_deprecated_field is
// off in src/server/metrics.ts: it walks every operation's document). That is only right while
// the schema deprecates nothing; this fails as soon as it does.
import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';

describe('schema deprecations', () => {
  it('has no @deprecated field, argument or enum value (else turn graphql_envelop_deprecated_field back on)', () => {
    expect(printSchema(schema)).not.toContain('@deprecated');
  });
});
