import { describe, expect, it } from 'vitest';
import {
  normalizeAnalyticsInput,
  normalizeAnalyticsTableInput,
  normalizeFilter,
  normalizeSearchInput,
  toAnalyticsInput,
  toAnalyticsTableInput,
  toSearchInput,
  type SearchInput,
} from '../../src/contracts/index.js';

const EMPTY_FILTER = {
  contractors: [],
  organizations: [],
  areas: [],
  businessCategories: [],
  keywords: [],
  timeRanges: [],
  minAmount: null,
  maxAmount: null,
  entities: [],
};

describe('normalizeSearchInput', () => {
  describe('when only filters are given', () => {
    it('applies the defaults: page 1, pageSize 20, AWARD_DATE DESC', () => {
      expect(normalizeSearchInput({ filters: {} })).toEqual({ filters: EMPTY_FILTER, page: 1, pageSize: 20, sortBy: 'AWARD_DATE', sortDirection: 'DESC' });
    });
    it('treats null like a missing field', () => {
      const n = normalizeSearchInput({ filters: { contractors: null, minAmount: null }, page: null, pageSize: null, sortBy: null, sortDirection: null });
      expect(n).toEqual(normalizeSearchInput({ filters: {} }));
    });
  });
});

describe('normalizeAnalyticsInput', () => {
  describe('when topN is not given', () => {
    it('uses 10', () => {
      expect(normalizeAnalyticsInput({ filters: {} })).toEqual({ filters: EMPTY_FILTER, topN: 10 });
    });
  });
});

describe('normalizeAnalyticsTableInput', () => {
  describe('when only filters and dimension are given', () => {
    it('sorts by TOTAL_VALUE DESC on page 1 of 20', () => {
      expect(normalizeAnalyticsTableInput({ filters: {}, dimension: 'AREA' })).toEqual({
        filters: EMPTY_FILTER,
        dimension: 'AREA',
        page: 1,
        pageSize: 20,
        sortBy: 'TOTAL_VALUE',
        sortDirection: 'DESC',
      });
    });
  });
});

describe('normalizeFilter', () => {
  describe('when chips have spaces, case, duplicates, empty parts and &&', () => {
    it('trims, lower-cases, splits on &&, drops empties, de-duplicates and sorts', () => {
      const n = normalizeFilter({
        contractors: ['  Petron ', 'petron', '', '   ', 'Road && concreting', ' CONCRETING&&road && road ', '&&', 'x && '],
      });
      expect(n.contractors).toEqual([['concreting', 'road'], ['petron'], ['x']]);
    });
    it('gives two inputs that mean the same thing the same form', () => {
      const a = normalizeFilter({ keywords: ['Flood Control', 'ROAD && bridge'], areas: ['Leyte'] });
      const b = normalizeFilter({ keywords: ['bridge&&road', ' flood control ', 'flood control'], areas: ['leyte', ''] });
      expect(a).toEqual(b);
    });
  });

  describe('when a range is a year', () => {
    it('covers 1 January to 31 December', () => {
      expect(normalizeFilter({ timeRanges: [{ year: 2023 }] }).timeRanges).toEqual([{ from: '2023-01-01', to: '2023-12-31' }]);
    });
  });

  describe('when a range is a quarter', () => {
    it('covers its three months, leap days included', () => {
      const quarters = [1, 2, 3, 4].map((quarter) => normalizeFilter({ timeRanges: [{ year: 2024, quarter }] }).timeRanges);
      expect(quarters).toEqual([
        [{ from: '2024-01-01', to: '2024-03-31' }],
        [{ from: '2024-04-01', to: '2024-06-30' }],
        [{ from: '2024-07-01', to: '2024-09-30' }],
        [{ from: '2024-10-01', to: '2024-12-31' }],
      ]);
    });
  });

  describe('when a range has from and/or to', () => {
    it('keeps the dates and leaves a missing end open', () => {
      const n = normalizeFilter({ timeRanges: [{ from: '2024-02-29' }, { to: '2020-05-01' }, { from: '2021-01-01', to: '2021-01-01' }] });
      expect(n.timeRanges).toEqual([
        { from: null, to: '2020-05-01' },
        { from: '2021-01-01', to: '2021-01-01' },
        { from: '2024-02-29', to: null },
      ]);
    });
  });

  describe('when ranges overlap or touch', () => {
    it('merges them, since ranges are OR-ed', () => {
      const n = normalizeFilter({
        timeRanges: [{ year: 2023, quarter: 2 }, { year: 2023, quarter: 1 }, { from: '2023-06-15', to: '2023-07-10' }, { year: 2025 }],
      });
      expect(n.timeRanges).toEqual([
        { from: '2023-01-01', to: '2023-07-10' },
        { from: '2025-01-01', to: '2025-12-31' },
      ]);
    });
    it('drops the filter when the ranges cover every date', () => {
      expect(normalizeFilter({ timeRanges: [{ to: '2023-12-31' }, { from: '2024-01-01' }] }).timeRanges).toEqual([]);
    });
  });

  describe('when amounts are given', () => {
    it('keeps them, with 0 as a real bound', () => {
      const n = normalizeFilter({ minAmount: 0, maxAmount: 1500.5 });
      expect([n.minAmount, n.maxAmount]).toEqual([0, 1500.5]);
    });
  });
});

describe('normalizeFilter entities', () => {
  describe('when entities have spaces, duplicates and any order', () => {
    it('trims names, keeps their case, de-duplicates and sorts by dimension then name', () => {
      const n = normalizeFilter({
        entities: [
          { dimension: 'AREA', name: '(unspecified)' },
          { dimension: 'CONTRACTOR', name: ' abc construction ' },
          { dimension: 'CONTRACTOR', name: 'ABC CONSTRUCTION' },
          { dimension: 'CONTRACTOR', name: 'ABC CONSTRUCTION\t' },
          { dimension: 'ORGANIZATION', name: 'ABC CONSTRUCTION' },
        ],
      });
      expect(n.entities).toEqual([
        { dimension: 'CONTRACTOR', name: 'ABC CONSTRUCTION' },
        { dimension: 'CONTRACTOR', name: 'abc construction' },
        { dimension: 'ORGANIZATION', name: 'ABC CONSTRUCTION' },
        { dimension: 'AREA', name: '(unspecified)' },
      ]);
    });
    it('gives two lists that mean the same thing the same form, and case variants different ones', () => {
      const a = normalizeFilter({ entities: [{ dimension: 'AREA', name: 'Leyte' }, { dimension: 'CONTRACTOR', name: 'X' }] });
      const b = normalizeFilter({ entities: [{ dimension: 'CONTRACTOR', name: ' X' }, { dimension: 'AREA', name: 'Leyte ' }, { dimension: 'AREA', name: 'Leyte' }] });
      expect(b).toEqual(a);
      expect(normalizeFilter({ entities: [{ dimension: 'AREA', name: 'LEYTE' }] })).not.toEqual(normalizeFilter({ entities: [{ dimension: 'AREA', name: 'Leyte' }] }));
    });
  });
});

describe('toSearchInput / toAnalyticsInput / toAnalyticsTableInput', () => {
  const raw: SearchInput = {
    filters: {
      contractors: ['Petron && CORP', 'acme'],
      keywords: ['  road  '],
      areas: ['100% && a_b\\c'],
      timeRanges: [{ year: 2024, quarter: 1 }, { from: '2020-01-01' }, { to: '2010-06-30' }],
      minAmount: 10,
      maxAmount: null,
      entities: [{ dimension: 'AREA', name: ' Leyte ' }, { dimension: 'CONTRACTOR', name: 'Abc Construction' }],
    },
    page: 3,
    pageSize: 50,
    sortBy: 'AMOUNT',
    sortDirection: 'ASC',
  };

  describe('when a normalised input is turned back into a raw one', () => {
    it('normalises again to exactly the same search', () => {
      const n = normalizeSearchInput(raw);
      expect(normalizeSearchInput(toSearchInput(n))).toEqual(n);
    });
    it('normalises again to exactly the same analytics', () => {
      const n = normalizeAnalyticsInput({ filters: raw.filters, topN: 7 });
      expect(normalizeAnalyticsInput(toAnalyticsInput(n))).toEqual(n);
    });
    it('normalises again to exactly the same table', () => {
      const n = normalizeAnalyticsTableInput({ filters: raw.filters, dimension: 'CONTRACTOR', sortBy: 'LABEL', page: 2 });
      expect(normalizeAnalyticsTableInput(toAnalyticsTableInput(n))).toEqual(n);
    });
    it('writes chips as text and ranges as from/to', () => {
      const canonical = toSearchInput(normalizeSearchInput(raw));
      expect(canonical.filters.contractors).toEqual(['acme', 'corp&&petron']);
      expect(canonical.filters.areas).toEqual(['100%&&a_b\\c']);
      expect(canonical.filters.timeRanges).toEqual([{ to: '2010-06-30' }, { from: '2020-01-01' }]);
      expect(canonical.filters.entities).toEqual([{ dimension: 'CONTRACTOR', name: 'Abc Construction' }, { dimension: 'AREA', name: 'Leyte' }]);
    });
  });
});
