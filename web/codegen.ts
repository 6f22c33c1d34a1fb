// GraphQL Code Generator: TypeScript types for the dashboard's operations, from the API's
// printed schema. `npm run web:codegen` rewrites src/api/generated.ts; a test fails when it
// is out of date (test/web/codegen.test.ts).
import type { CodegenConfig } from '@graphql-codegen/cli';

export const codegenConfig: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['web/src/api/operations.ts'],
  generates: {
    'web/src/api/generated.ts': {
      plugins: ['typescript-operations'],
      config: {
        enumsAsTypes: true,
        onlyOperationTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: true },
        scalars: { Date: 'string', DateTime: 'string' },
        skipTypename: true,
      },
    },
  },
  errorsOnly: true, // progress lines off, errors (document validation) still printed
};

export default codegenConfig;
