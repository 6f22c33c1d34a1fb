-- Dataset facts (the `dataset` query): what a client shows as "data as of ..." next to every
-- figure. Kept in the single dataset_state row by every import and seed, in the transaction
-- that changes the data (src/db/dataset.ts), so reading them never scans contracts.
ALTER TABLE "dataset_state"
  ADD COLUMN "imported_contracts" BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN "generated_contracts" BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN "first_award_date" DATE,
  ADD COLUMN "last_award_date" DATE,
  ADD COLUMN "years" INTEGER[] NOT NULL DEFAULT '{}';

-- Facts of the data already loaded (one scan, once). Same statement as datasetFactsSql().
UPDATE "dataset_state" AS d
   SET "imported_contracts" = s.imported, "generated_contracts" = s.generated,
       "first_award_date" = s.first, "last_award_date" = s.last, "years" = s.years
  FROM (
    SELECT COALESCE(sum(n) FILTER (WHERE source = 'IMPORTED'), 0)::bigint AS imported,
           COALESCE(sum(n) FILTER (WHERE source = 'GENERATED'), 0)::bigint AS generated,
           min(first) AS first, max(last) AS last,
           COALESCE(array_agg(DISTINCT year ORDER BY year), '{}')::int[] AS years
      FROM (SELECT source, extract(year FROM award_date)::int AS year, count(*) AS n,
                   min(award_date) AS first, max(award_date) AS last
              FROM "contracts" GROUP BY 1, 2) g
  ) s
 WHERE d.id = 1;
