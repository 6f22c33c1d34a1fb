import { describe, expect, it } from 'vitest';
import { filterOptions, type FilterOptionsInput } from '../../src/contracts/index.js';
import { useFixtureDatabase } from './fixture.js';

const t = useFixtureDatabase('engine_options');

/** "label (count)" of each option, for compact assertions. */
async function options(input: FilterOptionsInput): Promise<string[]> {
  const result = await filterOptions(t.prisma, input);
  for (const o of result) expect(o.dimension).toBe(input.dimension);
  return result.map((o) => `${o.label} (${o.count})`);
}

describe('filterOptions', () => {
  describe('when there is no search text', () => {
    it('lists names busiest first, ties by name', async () => {
      expect(await options({ dimension: 'CONTRACTOR' })).toEqual([
        'ACME 100% BUILDERS (5)',
        'MUÑOZ ENTERPRISES (5)',
        'PETROL EXPRESS INC. (4)',
        'PETRON CORPORATION (4)',
        'ABC CONSTRUCTION (2)',
        'AXB TRADING (2)',
        'A_B TRADING (2)',
        'BACK\\SLASH SUPPLY (2)',
        'ABC CONSTRUCTION & SUPPLY (1)',
        'Abc Construction (1)',
        'NEW ABC CONSTRUCTION (1)',
        'IDLE VENTURES (0)',
      ]);
      expect(await options({ dimension: 'AREA', search: '   ' })).toEqual(['Leyte (11)', 'Metro Manila (8)', 'Nueva Ecija (4)', 'Southern Leyte (2)']);
    });
    it('stops at the limit', async () => {
      expect(await options({ dimension: 'CONTRACTOR', limit: 3 })).toEqual(['ACME 100% BUILDERS (5)', 'MUÑOZ ENTERPRISES (5)', 'PETROL EXPRESS INC. (4)']);
    });
  });

  describe('when searching', () => {
    it('matches a case-insensitive substring', async () => {
      expect(await options({ dimension: 'CONTRACTOR', search: 'petro' })).toEqual(['PETROL EXPRESS INC. (4)', 'PETRON CORPORATION (4)']);
      expect(await options({ dimension: 'CONTRACTOR', search: ' PeTrOn ' })).toEqual(['PETRON CORPORATION (4)']);
      expect(await options({ dimension: 'ORGANIZATION', search: 'of' })).toEqual([
        'CITY OF MANILA (10)',
        'DEPARTMENT OF PUBLIC WORKS AND HIGHWAYS (9)',
        'PROVINCE OF LEYTE (8)',
        'City of Manila (2)',
      ]);
      expect(await options({ dimension: 'BUSINESS_CATEGORY', search: 'supplies' })).toEqual(['Medical Supplies (6)', 'Office Supplies (5)']);
    });
    it('treats %, _ and \\ literally', async () => {
      expect(await options({ dimension: 'CONTRACTOR', search: '%' })).toEqual(['ACME 100% BUILDERS (5)']);
      expect(await options({ dimension: 'CONTRACTOR', search: 'a_b' })).toEqual(['A_B TRADING (2)']);
      expect(await options({ dimension: 'CONTRACTOR', search: '\\' })).toEqual(['BACK\\SLASH SUPPLY (2)']);
    });
    it('returns nothing when no name contains the text', async () => {
      expect(await options({ dimension: 'AREA', search: 'unspecified' })).toEqual([]);
    });
  });
});
