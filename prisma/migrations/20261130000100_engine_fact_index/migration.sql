-- Query engine, second step (src/contracts).
--
-- The award-date index also carries every dimension id as payload, so that the contracts
-- of a time range (the most common filter: a year, a quarter) can be read for analytics
-- with an index-only range scan, instead of the whole of each dimension index or the
-- heap. It keeps its key (award_date, reference_id): the default search order.
DROP INDEX IF EXISTS "contracts_award_date_reference_id_idx";
CREATE INDEX "contracts_award_date_reference_id_idx" ON "contracts"("award_date", "reference_id")
  INCLUDE ("amount", "contractor_id", "organization_id", "area_id", "business_category_id");

-- Contracts without an amount, per dimension: with the dimension tables' counters
-- (contract_count, total_value) this gives every name's count of known amounts, hence its
-- average, without scanning all contracts (unfiltered analytics tables). Small: only
-- contracts without an amount are in it.
CREATE INDEX "contracts_amount_null_idx" ON "contracts"("contractor_id", "organization_id", "area_id", "business_category_id")
  WHERE "amount" IS NULL;
