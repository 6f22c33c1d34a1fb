import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds with no "exports" map. Node loads
    // the CJS one for dependencies (Pothos, yoga); vite would give test and src files the ESM
    // one, and graphql refuses to mix two copies ("Cannot use GraphQLObjectType from another
    // module or realm"). Pin the one Node uses.
    alias: [{ find: /^graphql$/, replacement: fileURLToPath(new URL('../node_modules/graphql/index.js', import.meta.url)) }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'], // makes PostgreSQL and Redis answer (src/services)
    environment: 'node',
    // Tests talk to real PostgreSQL and Redis and spawn worker processes: give them room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    pool: 'forks',
  },
});
