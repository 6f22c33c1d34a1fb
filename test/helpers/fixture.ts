// A small, deterministic contract fixture written in SQL, so API tests do not depend on
// the synthetic generator. Row i gets its dimensions and values from i by fixed
// arithmetic: every filter rule has matching and non-matching rows, some contracts have
// no amount, no notice title or no area, and award dates span 2019-2024.
import pg from 'pg';
import { fillSearchSql, SEARCH_TABLE } from '../../src/data/contract-search.js';
import { refreshDimensionStats } from '../../src/data/stats.js';
import { BUMP_DATA_VERSION_SQL, datasetFactsSql } from '../../src/db/dataset.js';

const CONTRACTORS = ['PETRON CORPORATION', 'MEGAWIDE CONSTRUCTION CORP.', 'ACME ROAD BUILDERS INC.', 'BICOL BUILDERS & SUPPLY',
  'SAN MIGUEL FOODS', 'NORTHERN STAR TRADING', 'ISLAND OFFICE SUPPLY 50%', 'VISAYAS_MEDICAL SUPPLY', 'LUZON CONCRETING CO.',
  'MINDANAO IT SOLUTIONS', 'GOLDEN BRIDGE CONSTRUCTION', 'PACIFIC FUEL DISTRIBUTORS'];
const ORGANIZATIONS = ['DEPARTMENT OF PUBLIC WORKS AND HIGHWAYS - REGION V', 'DEPARTMENT OF EDUCATION', 'CITY OF NAGA',
  'PROVINCE OF ALBAY', 'DEPARTMENT OF HEALTH', 'PHILIPPINE NATIONAL POLICE', 'CITY OF DAVAO', 'MUNICIPALITY OF TABACO'];
const AREAS = ['REGION V', 'NATIONAL CAPITAL REGION', 'REGION VII', 'REGION XI', 'CORDILLERA ADMINISTRATIVE REGION'];
const CATEGORIES = ['CONSTRUCTION PROJECTS', 'PETROLEUM, OIL AND LUBRICANTS', 'OFFICE SUPPLIES', 'MEDICAL SUPPLIES', 'INFORMATION TECHNOLOGY'];
const TITLES = ['CONCRETING OF FARM TO MARKET ROAD', 'SUPPLY AND DELIVERY OF DIESEL FUEL', 'PROCUREMENT OF OFFICE SUPPLIES',
  'REHABILITATION OF FLOOD CONTROL STRUCTURE', 'SUPPLY OF MEDICINES', 'ROAD WIDENING AND CONCRETING', 'PURCHASE OF LAPTOPS',
  'CONSTRUCTION OF SCHOOL BUILDING'];
const MODES = ['Public Bidding', 'Small Value Procurement', 'Negotiated Procurement'];

/** Inserts `count` contracts into a migrated, empty database; returns nothing but exact, reproducible data. */
export async function loadFixture(databaseUrl: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const [table, names] of [['contractors', CONTRACTORS], ['organizations', ORGANIZATIONS], ['areas', AREAS], ['business_categories', CATEGORIES]] as const) {
      await client.query(`INSERT INTO ${table} (name) SELECT unnest($1::text[]) ORDER BY 1`, [names]);
    }
    // ids are 1..n in alphabetical order (ORDER BY above on a fresh SERIAL).
    await client.query(
      `INSERT INTO contracts (reference_id, award_title, notice_title, contractor_id, organization_id, area_id,
                              business_category_id, procurement_mode, amount, approved_budget, award_date, source)
       SELECT 'REF-' || lpad(i::text, 6, '0'),
              ($1::text[])[1 + (i * 7) % cardinality($1::text[])] || ' PHASE ' || (i % 5),
              CASE WHEN i % 4 = 0 THEN NULL ELSE 'NOTICE: ' || ($1::text[])[1 + (i * 3) % cardinality($1::text[])] END,
              1 + (i * 5) % $3::int, 1 + (i * 3) % $4::int,
              CASE WHEN i % 9 = 0 THEN NULL ELSE 1 + i % $5::int END,
              1 + (i * 11) % $6::int,
              ($2::text[])[1 + i % 3],
              CASE WHEN i % 10 = 0 THEN NULL ELSE round((((i * 7919) % 100000) * 37.5 + 1000)::numeric, 2) END,
              CASE WHEN i % 6 = 0 THEN NULL ELSE round((((i * 7919) % 100000) * 40 + 1500)::numeric, 2) END,
              date '2019-01-01' + ((i * 37) % 2190),
              'GENERATED'
         FROM generate_series(1, $7::int) AS i`,
      [TITLES, MODES, CONTRACTORS.length, ORGANIZATIONS.length, AREAS.length, CATEGORIES.length, count],
    );
    await client.query(fillSearchSql(SEARCH_TABLE, 'contracts')); // what every load does, with the counters
    await refreshDimensionStats(client);
    await client.query(datasetFactsSql('contracts'));
    await client.query(BUMP_DATA_VERSION_SQL);
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}
