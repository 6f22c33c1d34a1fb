-- Keyword chips read a narrow copy of the contracts instead of the contracts themselves.
-- A keyword matches a contract when the award title or the notice title contains it,
-- case-insensitively (ILIKE '%keyword%'). With UTF-8, PostgreSQL's ILIKE lower-cases the
-- whole title on every row it checks and then matches, so the recheck of a common keyword's
-- trigram candidates was mostly lower() calls over 1.5 GB of heap: "road" (611k of 5.5M
-- contracts) took ~3 s. Here the titles are stored lower-cased once, and a keyword is
-- `award_text LIKE lower(pattern) OR notice_text LIKE lower(pattern)`: exactly what ILIKE
-- computes (lower(title) LIKE lower(pattern)), on a table a third narrower, beside the
-- columns every chart and filter reads, so a keyword question's counts, charts and tables
-- never visit the contracts table. Kept in step with the contracts by every writer, in the
-- transaction that writes them (src/data/contract-search.ts).
CREATE TABLE "contract_search" (
    "id" BIGINT NOT NULL,
    "award_date" DATE NOT NULL,
    "amount" DECIMAL(20,2),
    "contractor_id" INTEGER NOT NULL,
    "organization_id" INTEGER NOT NULL,
    "area_id" INTEGER,
    "business_category_id" INTEGER NOT NULL,
    "award_text" TEXT NOT NULL,
    "notice_text" TEXT,
    CONSTRAINT "contract_search_pkey" PRIMARY KEY ("id")
);

-- Written in award-date order, so that the contracts of a time range sit on neighbouring
-- pages: a keyword with time ranges reads the range through the award-date index.
INSERT INTO "contract_search" ("id", "award_date", "amount", "contractor_id", "organization_id", "area_id", "business_category_id", "award_text", "notice_text")
SELECT "id", "award_date", "amount", "contractor_id", "organization_id", "area_id", "business_category_id", lower("award_title"), lower("notice_title")
  FROM "contracts" ORDER BY "award_date";

CREATE INDEX "contract_search_award_text_trgm" ON "contract_search" USING GIN ("award_text" gin_trgm_ops);
CREATE INDEX "contract_search_notice_text_trgm" ON "contract_search" USING GIN ("notice_text" gin_trgm_ops);
CREATE INDEX "contract_search_award_date_idx" ON "contract_search"("award_date");

-- The title indexes of the contracts served keyword chips only.
DROP INDEX IF EXISTS "contracts_award_title_trgm";
DROP INDEX IF EXISTS "contracts_notice_title_trgm";
