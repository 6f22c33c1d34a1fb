// Dimension counters, as refreshDimensionStats leaves them for filterOptions.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAwardFiles } from '../../src/data/import.js';
import { refreshDimensionStats } from '../../src/data/stats.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { SAMPLE_CSV } from './csv.js';

let db: TestDatabase;
let client: pg.Client;
const counters = async () =>
  (await client.query(`SELECT name, contract_count AS n, total_value::text AS total FROM organizations ORDER BY name`)).rows;

beforeAll(async () => {
  db = await createTestDatabase('data_stats');
  await importAwardFiles(db.url, [SAMPLE_CSV]);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe('refreshDimensionStats', () => {
  describe('when counters are stale', () => {
    it('recomputes counts and sums of known amounts, and zeroes names without contracts (outside a transaction too)', async () => {
      const expected = await counters();
      await client.query(`UPDATE organizations SET contract_count = 99, total_value = 1`);
      await client.query(`INSERT INTO organizations (name, contract_count, total_value) VALUES ('ORPHAN OFFICE', 5, 500)`);
      await client.query(`UPDATE contracts SET amount = NULL WHERE reference_id = '5152009'`); // CITY OF PARAÑAQUE, was 2,250,000.00
      await refreshDimensionStats(client);
      const after = await counters();
      const parañaque = expected.find((r) => r.name === 'CITY OF PARAÑAQUE')!;
      expect(after.find((r) => r.name === 'CITY OF PARAÑAQUE')).toEqual({ ...parañaque, total: (Number(parañaque.total) - 2_250_000).toFixed(2) });
      expect(after.find((r) => r.name === 'ORPHAN OFFICE')).toEqual({ name: 'ORPHAN OFFICE', n: 0, total: '0.00' });
      expect(after.filter((r) => r.name !== 'ORPHAN OFFICE' && r.name !== 'CITY OF PARAÑAQUE')).toEqual(
        expected.filter((r) => r.name !== 'CITY OF PARAÑAQUE'),
      );
    });

    it('leaves the session work_mem as it was', async () => {
      await client.query("SET work_mem = '7MB'");
      await refreshDimensionStats(client);
      expect((await client.query('SHOW work_mem')).rows[0].work_mem).toBe('7MB');
    });
  });
});
