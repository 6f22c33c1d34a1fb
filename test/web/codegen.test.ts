// The dashboard's GraphQL types (web/src/api/generated.ts) match schema.graphql and its
// operations: regenerate with `npm run web:codegen` when this fails.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { codegenConfig } from '../../web/codegen.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('web/src/api/generated.ts', () => {
  it('is what codegen prints from schema.graphql and web/src/api/operations.ts', async () => {
    const [output] = await generate({ ...codegenConfig, cwd: ROOT }, false);
    expect(output?.filename).toBe('web/src/api/generated.ts');
    expect(readFileSync(`${ROOT}web/src/api/generated.ts`, 'utf8')).toBe(output!.content);
  });
});
