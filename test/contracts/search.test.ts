import { describe, expect, it } from 'vitest';
import { searchContracts, type ContractFilter, type SearchInput } from '../../src/contracts/index.js';
import { DEFAULT_ORDER, refs, useFixtureDatabase } from './fixture.js';

const t = useFixtureDatabase('engine_search');

/** References of every contract matching `filters`, in the default order (award date DESC). */
async function matching(filters: ContractFilter): Promise<string[]> {
  const result = await searchContracts(t.prisma, { filters, pageSize: 500 });
  expect(result.pagination.totalCount).toBe(result.contracts.length);
  return refs(result.contracts);
}

/** Every page of a search with `pageSize`, concatenated. */
async function allPages(input: Omit<SearchInput, 'page'>, pageSize: number): Promise<string[][]> {
  const pages: string[][] = [];
  for (let page = 1; ; page++) {
    const result = await searchContracts(t.prisma, { ...input, page, pageSize });
    pages.push(refs(result.contracts));
    if (!result.pagination.hasNext) return pages;
  }
}

describe('searchContracts', () => {
  describe('when there is no filter', () => {
    it('returns every contract, award date DESC, ties by reference ASC', async () => {
      expect(await matching({})).toEqual(DEFAULT_ORDER);
    });
    it('returns the contract fields and the pagination', async () => {
      const result = await searchContracts(t.prisma, { filters: {}, pageSize: 2, page: 12 });
      expect(result.pagination).toEqual({ page: 12, pageSize: 2, totalCount: 29, totalPages: 15, hasNext: true, hasPrevious: true });
      expect(refs(result.contracts)).toEqual(['C02', 'C01']);
      expect(result.contracts[0]).toEqual({
        id: expect.stringMatching(/^\d+$/),
        referenceId: 'C02',
        awardTitle: 'SUPPLY OF DIESEL FUEL',
        noticeTitle: null,
        contractor: 'PETRON CORPORATION',
        organization: 'CITY OF MANILA',
        area: 'Metro Manila',
        businessCategory: 'Petroleum Products',
        procurementMode: 'Public Bidding',
        amount: 250000.5,
        approvedBudget: 250000.5,
        awardDate: '2023-04-10',
      });
      const c05 = (await searchContracts(t.prisma, { filters: { keywords: ['asphalt'] } })).contracts[0];
      expect([c05?.area, c05?.amount, c05?.approvedBudget]).toEqual([null, null, null]);
    });
  });

  describe('when filtering by a dimension chip', () => {
    it('matches the chip as a substring of the name', async () => {
      expect(await matching({ contractors: ['petron'] })).toEqual(['C18', 'C10', 'C02', 'C01']);
      expect(await matching({ contractors: ['petro'] })).toEqual(['C23', 'C20', 'C18', 'C11', 'C10', 'C03', 'C02', 'C01']);
    });
    it('ignores case and surrounding spaces, including non-ASCII letters', async () => {
      expect(await matching({ contractors: ['  PeTrOn  '] })).toEqual(['C18', 'C10', 'C02', 'C01']);
      expect(await matching({ contractors: ['muñoz'] })).toEqual(['C24', 'C19', 'C12', 'C13', 'C06']);
      expect(await matching({ contractors: ['MUÑOZ'] })).toEqual(['C24', 'C19', 'C12', 'C13', 'C06']);
    });
    it('requires every && part of one chip to match', async () => {
      expect(await matching({ contractors: ['petro && corp'] })).toEqual(['C18', 'C10', 'C02', 'C01']);
      expect(await matching({ contractors: ['petro && express && inc'] })).toEqual(['C23', 'C20', 'C11', 'C03']);
    });
    it('ORs the chips of one dimension', async () => {
      expect(await matching({ contractors: ['petron', 'acme'] })).toEqual(['C22', 'C18', 'C17', 'C15', 'C10', 'C05', 'C04', 'C02', 'C01']);
    });
    it('ANDs different dimensions', async () => {
      expect(await matching({ contractors: ['petron'], areas: ['manila'] })).toEqual(['C18', 'C02', 'C01']);
      expect(await matching({ contractors: ['petron', 'acme'], organizations: ['manila'] })).toEqual(['C18', 'C02']);
    });
    it('filters each dimension on its own names only', async () => {
      // "petro" is also in the category "Petroleum Products", but not in these contractors' names.
      expect(await matching({ businessCategories: ['petro'] })).toEqual(['C23', 'C18', 'C11', 'C03', 'C02']);
      expect(await matching({ businessCategories: ['petro'], contractors: ['acme'] })).toEqual([]);
    });
    it('returns nothing, with zero pages, when a chip matches no name', async () => {
      const result = await searchContracts(t.prisma, { filters: { contractors: ['nobody at all'], keywords: ['road'] } });
      expect(result).toEqual({ contracts: [], pagination: { page: 1, pageSize: 20, totalCount: 0, totalPages: 0, hasNext: false, hasPrevious: false } });
    });
  });

  describe('when a chip contains %, _ or \\', () => {
    it('treats them as literal characters', async () => {
      expect(await matching({ contractors: ['100%'] })).toEqual(['C22', 'C17', 'C15', 'C05', 'C04']);
      expect(await matching({ contractors: ['%'] })).toEqual(['C22', 'C17', 'C15', 'C05', 'C04']);
      expect(await matching({ contractors: ['a_b'] })).toEqual(['C14', 'C07']); // not "AXB TRADING"
      expect(await matching({ contractors: ['_'] })).toEqual(['C14', 'C07']);
      expect(await matching({ contractors: ['k\\s'] })).toEqual(['C21', 'C09']);
      expect(await matching({ contractors: ['\\'] })).toEqual(['C21', 'C09']);
      expect(await matching({ keywords: ['50%'] })).toEqual(['C07']);
      expect(await matching({ keywords: ['_'] })).toEqual(['C14']);
      expect(await matching({ keywords: ['%%'] })).toEqual([]);
    });
  });

  describe('when a contract has no area', () => {
    it('is never matched by an area chip', async () => {
      // "e" is in every area name; C05, C12, C16 and C27 have no area.
      expect(await matching({ areas: ['e'] })).toEqual(DEFAULT_ORDER.filter((r) => !['C05', 'C12', 'C16', 'C27'].includes(r)));
      expect(await matching({ areas: ['(unspecified)'] })).toEqual([]);
      expect(await matching({ areas: ['unspecified'] })).toEqual([]);
    });
  });

  describe('when filtering by keywords', () => {
    it('matches a part against the award title or the notice title', async () => {
      expect(await matching({ keywords: ['widening'] })).toEqual(['C05']); // notice title only
      expect(await matching({ keywords: ['road'] })).toEqual(['C22', 'C20', 'C15', 'C10', 'C05', 'C04', 'C01']);
    });
    it('lets the parts of one chip match different titles', async () => {
      // C04: "ROAD REPAIR" / "Concreting works"; C17 has "approach" (roa-) but no "road".
      expect(await matching({ keywords: ['road && concreting'] })).toEqual(['C22', 'C04', 'C01']);
    });
    it('ORs keyword chips', async () => {
      expect(await matching({ keywords: ['DIESEL', 'toner'] })).toEqual(['C23', 'C11', 'C08', 'C02']);
    });
  });

  describe('when filtering by time ranges', () => {
    it('matches a calendar year', async () => {
      expect(await matching({ timeRanges: [{ year: 2024 }] })).toEqual(['C19', 'C18', 'C17', 'C12', 'C13', 'C14', 'C15', 'C16', 'C11', 'C10', 'C09', 'C08']);
    });
    it('matches a quarter, both ends included', async () => {
      expect(await matching({ timeRanges: [{ year: 2023, quarter: 2 }] })).toEqual(['C03', 'C02']);
      expect(await matching({ timeRanges: [{ year: 2024, quarter: 1 }] })).toEqual(['C10', 'C09', 'C08']);
      expect(await matching({ timeRanges: [{ year: 2023, quarter: 4 }] })).toEqual(['C07', 'C06']);
    });
    it('matches from/to inclusively, with either end open', async () => {
      expect(await matching({ timeRanges: [{ from: '2023-04-10', to: '2023-07-01' }] })).toEqual(['C04', 'C03', 'C02']);
      expect(await matching({ timeRanges: [{ from: '2024-12-31' }] })).toEqual(['C24', 'C23', 'C21', 'C22', 'C20', 'C19']);
      expect(await matching({ timeRanges: [{ to: '2023-04-10' }] })).toEqual(['C02', 'C01', 'C28', 'C29', 'C26', 'C27', 'C25']);
    });
    it('ORs several ranges', async () => {
      expect(await matching({ timeRanges: [{ year: 2023, quarter: 1 }, { year: 2025 }] })).toEqual(['C24', 'C23', 'C21', 'C22', 'C20', 'C01']);
    });
  });

  describe('when filtering by amount', () => {
    it('includes both bounds', async () => {
      expect(await matching({ minAmount: 120000, maxAmount: 1000000 })).toEqual(['C20', 'C19', 'C03', 'C02', 'C01']);
      expect(await matching({ minAmount: 99999.99, maxAmount: 99999.99 })).toEqual(['C11']);
    });
    it('excludes contracts without an amount, even with a bound of 0', async () => {
      const known = await matching({ minAmount: 0 });
      expect(known).toEqual(DEFAULT_ORDER.filter((r) => !['C05', 'C09', 'C15', 'C24', 'C27'].includes(r)));
      expect(await matching({ maxAmount: 0 })).toEqual(['C23']);
    });
  });

  describe('when sorting by amount', () => {
    const NULLS = ['C05', 'C09', 'C15', 'C24', 'C27'];
    it('puts contracts without an amount last going up', async () => {
      const r = await searchContracts(t.prisma, { filters: {}, sortBy: 'AMOUNT', sortDirection: 'ASC', pageSize: 100 });
      expect(refs(r.contracts)).toEqual([
        'C23', 'C28', 'C29', 'C25', 'C26', 'C21', 'C07', 'C08', 'C12', 'C13', 'C14', 'C16', 'C18', 'C06', 'C11', 'C03', 'C02', 'C19', 'C20', 'C01', 'C17', 'C22', 'C04', 'C10',
        ...NULLS,
      ]);
    });
    it('puts contracts without an amount last going down too', async () => {
      const r = await searchContracts(t.prisma, { filters: {}, sortBy: 'AMOUNT', sortDirection: 'DESC', pageSize: 100 });
      expect(refs(r.contracts)).toEqual([
        'C10', 'C04', 'C22', 'C17', 'C01', 'C20', 'C19', 'C02', 'C03', 'C11', 'C06', 'C18', 'C12', 'C13', 'C14', 'C16', 'C07', 'C08', 'C21', 'C26', 'C25', 'C29', 'C28', 'C23',
        ...NULLS,
      ]);
    });
  });

  describe('when sorting by other fields', () => {
    it('sorts by contractor name, ties by reference ASC', async () => {
      const r = await searchContracts(t.prisma, { filters: {}, sortBy: 'CONTRACTOR', sortDirection: 'ASC', pageSize: 100 });
      expect(refs(r.contracts)).toEqual([
        'C25', 'C29', // ABC CONSTRUCTION
        'C26', // ABC CONSTRUCTION & SUPPLY
        'C04', 'C05', 'C15', 'C17', 'C22', // ACME 100% BUILDERS
        'C08', 'C16', // AXB TRADING
        'C07', 'C14', // A_B TRADING
        'C27', // Abc Construction (code point: lower case after every upper case and "_")
        'C09', 'C21', // BACK\SLASH SUPPLY
        'C06', 'C12', 'C13', 'C19', 'C24', // MUÑOZ ENTERPRISES
        'C28', // NEW ABC CONSTRUCTION
        'C03', 'C11', 'C20', 'C23', // PETROL EXPRESS INC.
        'C01', 'C02', 'C10', 'C18', // PETRON CORPORATION
      ]);
    });
    it('sorts by organization name descending, ties still by reference ASC', async () => {
      const r = await searchContracts(t.prisma, { filters: {}, sortBy: 'ORGANIZATION', sortDirection: 'DESC', pageSize: 100 });
      expect(refs(r.contracts)).toEqual([
        'C06', 'C07', 'C11', 'C12', 'C13', 'C19', 'C21', 'C24', // PROVINCE OF LEYTE
        'C01', 'C04', 'C05', 'C10', 'C15', 'C17', 'C20', 'C22', 'C28', // DEPARTMENT OF PUBLIC WORKS AND HIGHWAYS
        'C25', 'C27', // City of Manila
        'C02', 'C03', 'C08', 'C09', 'C14', 'C16', 'C18', 'C23', 'C26', 'C29', // CITY OF MANILA
      ]);
    });
    it('sorts by award title', async () => {
      const r = await searchContracts(t.prisma, { filters: { keywords: ['road'] }, sortBy: 'AWARD_TITLE', sortDirection: 'ASC' });
      // Code-point order: "ROAD CONCRETING PHASE 2" (space) before "ROAD CONCRETING, BARANGAY ..." (comma).
      expect(refs(r.contracts)).toEqual(['C05', 'C20', 'C10', 'C22', 'C01', 'C04', 'C15']);
    });
    it('sorts by award date ascending, ties by reference ASC', async () => {
      // C01..C24 are in date order, so are C25..C29 (all in 2022, before C01).
      const asc = ['C25', 'C26', 'C27', 'C28', 'C29', ...DEFAULT_ORDER.filter((r) => r < 'C25').sort()];
      expect(refs((await searchContracts(t.prisma, { filters: {}, sortDirection: 'ASC', pageSize: 100 })).contracts)).toEqual(asc);
    });
  });

  describe('when paging through ties', () => {
    it('never repeats or skips a row across pages (award date, five contracts on one day)', async () => {
      const pages = await allPages({ filters: {} }, 3);
      expect(pages.slice(2, 5)).toEqual([['C18', 'C17', 'C12'], ['C13', 'C14', 'C15'], ['C16', 'C11', 'C10']]);
      expect(pages.flat()).toEqual(DEFAULT_ORDER);
    });
    it('never repeats or skips a row across pages (equal amounts)', async () => {
      const pages = await allPages({ filters: {}, sortBy: 'AMOUNT', sortDirection: 'DESC' }, 5);
      expect(pages[2]).toEqual(['C06', 'C18', 'C12', 'C13', 'C14']);
      expect(pages[3]).toEqual(['C16', 'C07', 'C08', 'C21', 'C26']);
      expect(new Set(pages.flat()).size).toBe(29);
    });
    it('reports the pagination of the last page and of a page past the end', async () => {
      const last = await searchContracts(t.prisma, { filters: {}, page: 6, pageSize: 5 });
      expect(refs(last.contracts)).toEqual(['C29', 'C26', 'C27', 'C25']);
      expect(last.pagination).toEqual({ page: 6, pageSize: 5, totalCount: 29, totalPages: 6, hasNext: false, hasPrevious: true });
      const past = await searchContracts(t.prisma, { filters: {}, page: 9, pageSize: 5 });
      expect(past).toEqual({ contracts: [], pagination: { page: 9, pageSize: 5, totalCount: 29, totalPages: 6, hasNext: false, hasPrevious: true } });
    });
  });
});
