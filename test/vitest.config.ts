import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Two projects, told apart by file name:
//   unit         test/**/*.unit.test.ts: pure functions, no PostgreSQL, Redis or child
//                processes; `npm run test:unit` runs only these, in seconds.
//   integration  every other test/**/*.test.ts: real PostgreSQL and Redis (a database and a
//                Redis prefix per file), worker processes, the HTTP/WebSocket server.
// `npm test` runs both. A test that needs a service is an integration test by default.
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
    environment: 'node',
    maxWorkers: 2,
    pool: 'forks',
    projects: [
      {
        extends: true,
        // Pure functions hold no state between files: one module graph for all (isolate: false)
        // saves re-importing the schema and the engine for every file.
        test: { name: 'unit', include: ['test/**/*.unit.test.ts'], isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.unit.test.ts'],
          // Makes PostgreSQL and Redis answer (src/services) before any file starts.
          globalSetup: ['test/global-setup.ts'],
          // Tests talk to real PostgreSQL and Redis and spawn worker processes: give them room.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
