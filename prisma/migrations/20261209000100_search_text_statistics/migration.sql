-- The planner estimates how many contracts a keyword matches (search_text LIKE '%...%') by
-- matching the pattern against the column's histogram. With the default 100 entries a keyword
-- of ~2% of the contracts ("flood control") often matches none, is estimated at a tenth of its
-- real count, and a dated search then gathers every match and probes the contracts (125 ms at
-- 1M) instead of walking the award-date index until the page is full (16 ms). 500 entries
-- keep the estimates within ~20% for keywords from 0.7% to 11% of the contracts, for ~1 ms more
-- planning. Seeds carry it over when they rebuild the table (src/data/table-plan.ts).
ALTER TABLE "contract_search" ALTER COLUMN "search_text" SET STATISTICS 500;
ANALYZE "contract_search";
