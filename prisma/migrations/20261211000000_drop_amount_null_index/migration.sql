-- contracts_amount_null_idx (20261130000100_engine_fact_index) gave the unfiltered analytics
-- tables each name's count of contracts without an amount. The rollups answer those now
-- (contract_dimension_totals.known, 20261205000000_rollups), and no query has the index's
-- predicate (amount IS NULL) any more, so it was never chosen; but every seed still built it
-- (a scan of every contract: ~3 s at 5.5M) and every import kept it up to date.
DROP INDEX IF EXISTS "contracts_amount_null_idx";
