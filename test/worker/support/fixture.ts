// A small deterministic dataset for task tests, loaded with plain SQL (no dependency on the
// generator): 4 dimensions, `n` contracts over 2019-2024, some without amount or area.
import pg from 'pg';
import { refreshContractSearch } from '../../../src/data/contract-search.js';

/** Loads `n` contracts into the (migrated, empty) database at `url`. */
export async function loadFixture(url: string, n = 400): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      INSERT INTO contractors (name) SELECT c FROM unnest(ARRAY[
        'PETRON CORPORATION', 'MEGAWIDE CONSTRUCTION CORPORATION', 'EEI CORPORATION', 'ROAD BUILDERS & SONS INC.',
        'SUNWEST CONSTRUCTION', 'LEGACY CONSTRUCTION', 'JOHN % DOE TRADING', 'BICOL_TRADING CO.']) c;
      INSERT INTO organizations (name) SELECT o FROM unnest(ARRAY[
        'DPWH REGION V', 'DPWH NCR', 'DEPARTMENT OF EDUCATION', 'CITY OF NAGA', 'PROVINCE OF ALBAY', 'DOH CENTRAL OFFICE']) o;
      INSERT INTO areas (name) SELECT a FROM unnest(ARRAY['REGION V', 'NATIONAL CAPITAL REGION', 'REGION VII', 'REGION XI']) a;
      INSERT INTO business_categories (name) SELECT b FROM unnest(ARRAY[
        'CONSTRUCTION PROJECTS', 'FLOOD CONTROL', 'INFORMATION TECHNOLOGY', 'MEDICAL SUPPLIES']) b;
    `);
    await client.query(
      `INSERT INTO contracts (reference_id, award_title, notice_title, contractor_id, organization_id, area_id,
                              business_category_id, procurement_mode, amount, approved_budget, award_date, source)
       SELECT 'REF-' || lpad(g::text, 7, '0'),
              (ARRAY['Road concreting of barangay road', 'Flood control structure', 'Supply and delivery of laptops',
                     'Construction of school building', 'Medical supplies for district hospital'])[1 + g % 5] || ' lot ' || g,
              CASE WHEN g % 3 = 0 THEN NULL ELSE 'Notice ' || g END,
              1 + (g * 7) % 8, 1 + (g * 5) % 6, CASE WHEN g % 11 = 0 THEN NULL ELSE 1 + g % 4 END, 1 + (g * 3) % 4,
              'Public Bidding',
              CASE WHEN g % 13 = 0 THEN NULL ELSE round(((g * 7919) % 5000000 + 1000)::numeric, 2) END,
              round(((g * 7919) % 5000000 + 5000)::numeric, 2),
              date '2019-01-01' + (g * 37) % 2190,
              'GENERATED'
         FROM generate_series(1, $1::int) g`,
      [n],
    );
    await refreshContractSearch(client); // as every load keeps it
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
