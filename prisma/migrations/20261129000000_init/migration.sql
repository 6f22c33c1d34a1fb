-- Kontrata initial schema: contracts, their four dimensions, and the dataset version.
-- pg_trgm serves every substring filter (ILIKE '%chip%') on names and titles.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TYPE "contract_source" AS ENUM ('IMPORTED', 'GENERATED');

CREATE TABLE "contractors" (
    "id" SERIAL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "contract_count" INTEGER NOT NULL DEFAULT 0,
    "total_value" DECIMAL(22,2) NOT NULL DEFAULT 0
);
CREATE TABLE "organizations" (
    "id" SERIAL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "contract_count" INTEGER NOT NULL DEFAULT 0,
    "total_value" DECIMAL(22,2) NOT NULL DEFAULT 0
);
CREATE TABLE "areas" (
    "id" SERIAL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "contract_count" INTEGER NOT NULL DEFAULT 0,
    "total_value" DECIMAL(22,2) NOT NULL DEFAULT 0
);
CREATE TABLE "business_categories" (
    "id" SERIAL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "contract_count" INTEGER NOT NULL DEFAULT 0,
    "total_value" DECIMAL(22,2) NOT NULL DEFAULT 0
);

CREATE UNIQUE INDEX "contractors_name_key" ON "contractors"("name");
CREATE UNIQUE INDEX "organizations_name_key" ON "organizations"("name");
CREATE UNIQUE INDEX "areas_name_key" ON "areas"("name");
CREATE UNIQUE INDEX "business_categories_name_key" ON "business_categories"("name");

-- Chip filters and filterOptions: ILIKE '%x%' on names.
CREATE INDEX "contractors_name_trgm" ON "contractors" USING GIN ("name" gin_trgm_ops);
CREATE INDEX "organizations_name_trgm" ON "organizations" USING GIN ("name" gin_trgm_ops);
CREATE INDEX "areas_name_trgm" ON "areas" USING GIN ("name" gin_trgm_ops);
CREATE INDEX "business_categories_name_trgm" ON "business_categories" USING GIN ("name" gin_trgm_ops);
-- filterOptions without a search string: busiest first.
CREATE INDEX "contractors_busiest" ON "contractors"("contract_count" DESC, "name");
CREATE INDEX "organizations_busiest" ON "organizations"("contract_count" DESC, "name");
CREATE INDEX "areas_busiest" ON "areas"("contract_count" DESC, "name");
CREATE INDEX "business_categories_busiest" ON "business_categories"("contract_count" DESC, "name");

CREATE TABLE "contracts" (
    "id" BIGSERIAL PRIMARY KEY,
    "reference_id" TEXT NOT NULL,
    "award_title" TEXT NOT NULL,
    "notice_title" TEXT,
    "contractor_id" INTEGER NOT NULL REFERENCES "contractors"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    "organization_id" INTEGER NOT NULL REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    "area_id" INTEGER REFERENCES "areas"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    "business_category_id" INTEGER NOT NULL REFERENCES "business_categories"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    "procurement_mode" TEXT,
    "classification" TEXT,
    "award_status" TEXT,
    "amount" DECIMAL(20,2),
    "approved_budget" DECIMAL(20,2),
    "award_date" DATE NOT NULL,
    "source" "contract_source" NOT NULL DEFAULT 'IMPORTED'
);

CREATE UNIQUE INDEX "contracts_reference_id_key" ON "contracts"("reference_id");
-- Sorts with their tie-breaker (referenceId ascending), and range filters.
CREATE INDEX "contracts_award_date_reference_id_idx" ON "contracts"("award_date", "reference_id");
CREATE INDEX "contracts_amount_reference_id_idx" ON "contracts"("amount", "reference_id");
-- Dimension filters (contractor_id = ANY(...)) and per-dimension aggregates.
CREATE INDEX "contracts_contractor_id_idx" ON "contracts"("contractor_id");
CREATE INDEX "contracts_organization_id_idx" ON "contracts"("organization_id");
CREATE INDEX "contracts_area_id_idx" ON "contracts"("area_id");
CREATE INDEX "contracts_business_category_id_idx" ON "contracts"("business_category_id");
-- Keyword chips: substring of award title or notice title.
CREATE INDEX "contracts_award_title_trgm" ON "contracts" USING GIN ("award_title" gin_trgm_ops);
CREATE INDEX "contracts_notice_title_trgm" ON "contracts" USING GIN ("notice_title" gin_trgm_ops);

CREATE TABLE "dataset_state" (
    "id" INTEGER PRIMARY KEY DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "dataset_state" ("id", "version") VALUES (1, 1);
