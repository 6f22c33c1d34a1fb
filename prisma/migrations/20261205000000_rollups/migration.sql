-- Rollups of contracts, rebuilt by every seed and import (src/data/rollups.ts) and read by
-- the query engine (src/contracts/rollups.ts) for unfiltered and timeRanges-only questions.
-- Each row carries the contracts' count, the count with a known amount, the sum of known
-- amounts, and the first and last award date (daily rows: the day itself).

-- Contracts per award date: a few thousand rows answer every summary, byYear and byMonth.
CREATE TABLE "contract_daily_totals" (
    "day" DATE PRIMARY KEY,
    "n" BIGINT NOT NULL,
    "known" BIGINT NOT NULL,
    "total" DECIMAL(22,2) NOT NULL
);

-- Contracts per dimension row and period. dimension: 1 contractor, 2 organization, 3 area,
-- 4 business category. grain: 0 all time (period 0001-01-01), 1 year, 2 month (period =
-- the first day). id: the dimension row; 0 = contracts without an area.
CREATE TABLE "contract_dimension_totals" (
    "dimension" SMALLINT NOT NULL,
    "grain" SMALLINT NOT NULL,
    "period" DATE NOT NULL,
    "id" INTEGER NOT NULL,
    "n" BIGINT NOT NULL,
    "known" BIGINT NOT NULL,
    "total" DECIMAL(22,2) NOT NULL,
    "first_date" DATE NOT NULL,
    "last_date" DATE NOT NULL,
    CONSTRAINT "contract_dimension_totals_pkey" PRIMARY KEY ("dimension", "grain", "period", "id")
);

-- The dataset version the rollups describe. They are used only while it equals
-- dataset_state.version; 0 = not built (or being rebuilt by an import).
CREATE TABLE "rollup_state" (
    "id" INTEGER PRIMARY KEY DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,
    "built_at" TIMESTAMPTZ(3)
);
INSERT INTO "rollup_state" ("id", "version") VALUES (1, 0);
