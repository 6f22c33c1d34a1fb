// Chips are resolved to name ids once per dataset version and process (src/contracts/filter-sql.ts):
// a load that adds a matching name bumps the version in the same transaction, so the next
// question sees the new name; a question whose snapshot still has the old version keeps the
// old answer.
import { describe, expect, it } from 'vitest';
import { searchContracts } from '../../src/contracts/index.js';
import { BUMP_DATA_VERSION_SQL } from '../../src/db/dataset.js';
import { useFixtureDatabase } from './fixture.js';

const t = useFixtureDatabase('engine_chip_cache');

const petro = async () =>
  (await searchContracts(t.prisma, { filters: { contractors: ['petro'] }, pageSize: 100 })).contracts.map((c) => c.contractor).sort();

describe('resolved chips', () => {
  it('are resolved again after a load adds a matching name, and not before the version changes', async () => {
    const before = await petro();
    expect(new Set(before)).toEqual(new Set(['PETRON CORPORATION', 'PETROL EXPRESS INC.']));
    // A new matching contractor and a contract of it, written as a load writes (names and
    // contracts first) but not yet with the version bump: the cached ids still answer.
    await t.prisma.$executeRawUnsafe(`INSERT INTO contractors (id, name) VALUES (50, 'PETROGREEN FUELS')`);
    await t.prisma.$executeRawUnsafe(`
      INSERT INTO contracts (reference_id, award_title, contractor_id, organization_id, area_id, business_category_id, amount, award_date)
      VALUES ('C50', 'FUEL', 50, 1, 1, 2, 1000.00, '2023-02-02')`);
    expect(await petro()).toEqual(before);
    // The load's version bump: resolved again, the new name's contract is found.
    await t.prisma.$executeRawUnsafe(BUMP_DATA_VERSION_SQL);
    expect(await petro()).toEqual([...before, 'PETROGREEN FUELS'].sort());
  });
});
