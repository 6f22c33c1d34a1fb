-- Contracts per business category and contractor, organization or area, over all time: the
-- rankings of a category chip's dashboard (one category holds up to 15% of all contracts,
-- ~850k at 5.5M) add up a few thousand rows instead of grouping every contract of the
-- category three times. Built and swapped in with the other rollups (src/data/rollups.ts),
-- and used only while rollup_state says they describe the current dataset version.
-- dimension: 1 contractor, 2 organization, 3 area (as in contract_dimension_totals);
-- id 0 = contracts without an area.
CREATE TABLE "contract_category_pair_totals" (
    "category_id" INTEGER NOT NULL,
    "dimension" SMALLINT NOT NULL,
    "id" INTEGER NOT NULL,
    "n" BIGINT NOT NULL,
    "known" BIGINT NOT NULL,
    "total" DECIMAL(22,2) NOT NULL,
    CONSTRAINT "contract_category_pair_totals_pkey" PRIMARY KEY ("category_id", "dimension", "id")
);

-- Rollups built before have no pair rows: they are not used until the next seed or import,
-- or `npm run db:rollups`, rebuilds them (the engine answers from the contracts meanwhile).
UPDATE "rollup_state" SET "version" = 0 WHERE "id" = 1;
