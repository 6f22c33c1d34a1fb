-- Contracts per dimension row and amount class over all time: the count of a search with an
-- amount range and chips of at most one dimension (no time ranges, no keywords) adds up a few
-- rows per name instead of reading every contract of the names. An amount class (bucket) is
-- [m * 10^d, (m+1) * 10^d) for one significant digit m (1 ... 9) and d = 0 ... 17, numbered
-- 1 ... 162 in order; bucket 0 holds amounts below 1. Contracts without an amount have none.
-- dimension: 0 = all contracts (id 0), 1 contractor, 2 organization, 3 area (id 0 = no area),
-- 4 business category (as in contract_dimension_totals). Built and swapped in with the other
-- rollups (src/data/rollups.ts); used only while rollup_state says they are current.
CREATE TABLE "contract_amount_totals" (
    "dimension" SMALLINT NOT NULL,
    "id" INTEGER NOT NULL,
    "bucket" SMALLINT NOT NULL,
    "n" BIGINT NOT NULL,
    CONSTRAINT "contract_amount_totals_pkey" PRIMARY KEY ("dimension", "id", "bucket")
);

-- The amounts between a range's bounds and the nearest class boundaries are counted from the
-- contracts: index-only, among the names' contracts, with the dimension ids in the index.
DROP INDEX IF EXISTS "contracts_amount_reference_id_idx";
CREATE INDEX "contracts_amount_reference_id_idx" ON "contracts"("amount", "reference_id")
    INCLUDE ("contractor_id", "organization_id", "area_id", "business_category_id");

-- Only the all-time rows (grain 0) are read in value or count order (unfiltered rankings and
-- table pages): the indexes need not sort the 5M month, quarter and year rows at every load.
DROP INDEX IF EXISTS "contract_dimension_totals_total_idx";
DROP INDEX IF EXISTS "contract_dimension_totals_n_idx";
CREATE INDEX "contract_dimension_totals_total_idx" ON "contract_dimension_totals"("dimension", "grain", "total" DESC) WHERE "grain" = 0;
CREATE INDEX "contract_dimension_totals_n_idx" ON "contract_dimension_totals"("dimension", "grain", "n" DESC) WHERE "grain" = 0;

-- Rollups built before have no amount rows: they are not used until the next seed or import,
-- or `npm run db:rollups`, rebuilds them (the engine answers from the contracts meanwhile).
UPDATE "rollup_state" SET "version" = 0 WHERE "id" = 1;
