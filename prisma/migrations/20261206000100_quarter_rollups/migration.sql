-- The rollups gain quarter rows (grain 3) for every dimension (src/data/rollups.ts): the ones
-- built before lack them, so they stop being used (answers come from the contracts, exact and
-- slower) until the next seed or import, or `npm run db:rollups`, rebuilds them.
UPDATE "rollup_state" SET "version" = 0 WHERE "id" = 1;
