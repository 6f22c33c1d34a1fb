-- The keyword table in two halves (hash of id), each with its own trigram index, so that a
-- keyword question's two halves are read at once, each by one process, on the machine's two
-- cores. PostgreSQL 15 builds a trigram bitmap in one process and re-checks its matches in
-- parallel only after that; and a dashboard's grouping of the matches (grouping sets) runs in
-- one process. With a half per process both run twice as wide (at 5.5M contracts, "road",
-- 611k matches: the count ~830 -> ~480 ms, the dashboard's grouping statement ~1.5 -> ~1.25 s,
-- on a machine where both were slower than before), and a seed builds the two halves' trigram
-- indexes on two connections at once.
-- parallel_workers = 0: a half is never shared between processes (Parallel Append hands each
-- half to one process, which then reads it from its own bitmap without coordination).
-- src/contracts/analytics.ts names the halves (SEARCH_PARTITIONS in src/data/contract-search.ts);
-- a seed rebuilds them as they are (src/data/table-plan.ts reads the partitions).
CREATE TABLE "contract_search_partitioned" (
    "id" BIGINT NOT NULL,
    "award_date" DATE NOT NULL,
    "amount" DECIMAL(20,2),
    "contractor_id" INTEGER NOT NULL,
    "organization_id" INTEGER NOT NULL,
    "area_id" INTEGER,
    "business_category_id" INTEGER NOT NULL,
    "search_text" TEXT NOT NULL
) PARTITION BY HASH ("id");
CREATE TABLE "contract_search_p0" PARTITION OF "contract_search_partitioned" FOR VALUES WITH (MODULUS 2, REMAINDER 0) WITH (parallel_workers = 0);
CREATE TABLE "contract_search_p1" PARTITION OF "contract_search_partitioned" FOR VALUES WITH (MODULUS 2, REMAINDER 1) WITH (parallel_workers = 0);

-- In award-date order, as before (each half keeps it).
INSERT INTO "contract_search_partitioned" ("id", "award_date", "amount", "contractor_id", "organization_id", "area_id", "business_category_id", "search_text")
SELECT "id", "award_date", "amount", "contractor_id", "organization_id", "area_id", "business_category_id", "search_text"
  FROM "contract_search" ORDER BY "award_date";

DROP TABLE "contract_search";
ALTER TABLE "contract_search_partitioned" RENAME TO "contract_search";

-- Each half's indexes, named after the half (a seed keeps the names), then the table's own,
-- which adopt them.
ALTER TABLE "contract_search_p0" ADD CONSTRAINT "contract_search_p0_pkey" PRIMARY KEY ("id");
ALTER TABLE "contract_search_p1" ADD CONSTRAINT "contract_search_p1_pkey" PRIMARY KEY ("id");
ALTER TABLE "contract_search" ADD CONSTRAINT "contract_search_pkey" PRIMARY KEY ("id");
CREATE INDEX "contract_search_p0_search_text_trgm" ON "contract_search_p0" USING GIN ("search_text" gin_trgm_ops);
CREATE INDEX "contract_search_p1_search_text_trgm" ON "contract_search_p1" USING GIN ("search_text" gin_trgm_ops);
CREATE INDEX "contract_search_search_text_trgm" ON "contract_search" USING GIN ("search_text" gin_trgm_ops);
CREATE INDEX "contract_search_p0_award_date_idx" ON "contract_search_p0"("award_date");
CREATE INDEX "contract_search_p1_award_date_idx" ON "contract_search_p1"("award_date");
CREATE INDEX "contract_search_award_date_idx" ON "contract_search"("award_date");

-- As 20261209000100_search_text_statistics (set on the table, it reaches both halves).
ALTER TABLE "contract_search" ALTER COLUMN "search_text" SET STATISTICS 500;
ANALYZE "contract_search";
