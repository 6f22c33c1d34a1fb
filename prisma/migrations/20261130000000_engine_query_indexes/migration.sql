-- Indexes of the query engine (src/contracts), chosen by EXPLAIN on 1M generated contracts.
--
-- Dimension indexes become covering: (dimension_id, award_date, amount). They still serve
-- `dimension_id = ANY(ids)` exactly like the single-column indexes they replace, and also
-- let PostgreSQL answer counts, per-dimension totals and date-filtered aggregates with
-- index-only scans (a contract row is ~200 bytes, an entry here ~30), in dimension order,
-- so grouping by the dimension streams without a hash table.
DROP INDEX IF EXISTS "contracts_contractor_id_idx";
DROP INDEX IF EXISTS "contracts_organization_id_idx";
DROP INDEX IF EXISTS "contracts_area_id_idx";
DROP INDEX IF EXISTS "contracts_business_category_id_idx";
CREATE INDEX "contracts_contractor_cover_idx" ON "contracts"("contractor_id", "award_date", "amount");
CREATE INDEX "contracts_organization_cover_idx" ON "contracts"("organization_id", "award_date", "amount");
CREATE INDEX "contracts_area_cover_idx" ON "contracts"("area_id", "award_date", "amount");
CREATE INDEX "contracts_business_category_cover_idx" ON "contracts"("business_category_id", "award_date", "amount");

-- Award date with the amount as payload: the default search order (award_date DESC via a
-- backward scan plus an incremental sort on reference_id), time-range filters, and the
-- per-day totals behind summary/byYear/byMonth, all index-only.
DROP INDEX IF EXISTS "contracts_award_date_reference_id_idx";
CREATE INDEX "contracts_award_date_reference_id_idx" ON "contracts"("award_date", "reference_id") INCLUDE ("amount");

-- AMOUNT DESC puts contracts without an amount last: a backward scan of (amount ASC NULLS
-- LAST) would put them first, so that order needs its own index.
CREATE INDEX "contracts_amount_desc_reference_id_idx" ON "contracts"("amount" DESC NULLS LAST, "reference_id");
