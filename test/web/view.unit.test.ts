// The dashboard's URL codec and error placement: a view survives the URL round trip, bad
// parameters fall back to defaults, and BAD_USER_INPUT paths land on the right field.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../web/src/api/api-error.js';
import { explain, fieldMessage, fieldOf } from '../../web/src/state/errors.js';
import { contractFilter, defaultView, searchFromView, viewFromSearch, type ViewState } from '../../web/src/state/view.js';

describe('view URL codec', () => {
  describe('when a full view goes through the URL', () => {
    it('comes back the same', () => {
      const view: ViewState = {
        ...defaultView(),
        filter: {
          chips: { contractors: ['petron', 'megawide'], organizations: ['dpwh'], areas: [], businessCategories: ['fuel && oil'], keywords: ['road && concreting'] },
          timeRanges: [{ year: 2023 }, { year: 2024, quarter: 2 }, { from: '2022-01-01', to: '2022-06-30' }, { to: '2019-12-31' }],
          minAmount: 1000,
          maxAmount: 2500000.5,
        },
        entities: [{ dimension: 'CONTRACTOR', name: 'ABC: CONSTRUCTION & SUPPLY' }, { dimension: 'AREA', name: '(unspecified)' }],
        sortBy: 'AMOUNT',
        sortDirection: 'ASC',
        page: 3,
        table: 'ORGANIZATION',
        tableSortBy: 'COUNT',
        tableSortDirection: 'DESC',
        tablePage: 2,
      };
      const search = searchFromView(view);
      expect(viewFromSearch(search)).toEqual(view);
      expect(search).toContain('time=2024-Q2');
      expect(new URLSearchParams(search).getAll('entity')).toEqual(['CONTRACTOR:ABC: CONSTRUCTION & SUPPLY', 'AREA:(unspecified)']);
    });

    it('leaves defaults out of the URL', () => {
      expect(searchFromView(defaultView())).toBe('');
    });
  });

  describe('when parameters are malformed', () => {
    it('falls back to defaults instead of failing', () => {
      const view = viewFromSearch('?page=-2&sort=PRICE.up&table=COLOR&entity=NOPE:x&entity=:y&time=soon&min=abc&tpage=1.5&contractor=%20');
      expect(view).toEqual(defaultView());
    });
  });

  describe('contractFilter', () => {
    it('sends only what is set, with the drill-down path as exact entities', () => {
      const view = viewFromSearch('?keyword=road&time=2023&entity=CONTRACTOR:PETRON%20CORPORATION');
      expect(contractFilter(view)).toEqual({ keywords: ['road'], timeRanges: [{ year: 2023 }], entities: [{ dimension: 'CONTRACTOR', name: 'PETRON CORPORATION' }] });
      expect(contractFilter(defaultView())).toEqual({});
    });
  });
});

describe('error placement', () => {
  const bad = (field: string, message: string) => new ApiError(message, 'BAD_USER_INPUT', field);

  it('puts BAD_USER_INPUT next to the field its path names, in words', () => {
    const range = bad('input.filters.timeRanges[0].from', 'input.filters.timeRanges[0].from: 2024-05-01 is after to (2024-01-01)');
    expect(fieldOf(range)).toBe('timeRanges');
    expect(fieldMessage(range)).toBe('Time range 1 (from): 2024-05-01 is after to (2024-01-01)');
    const amount = bad('input.filters.minAmount', 'input.filters.minAmount: must not be negative');
    expect(fieldOf(amount)).toBe('amount');
    expect(fieldMessage(amount)).toBe('Min amount: must not be negative');
    const chip = bad('input.filters.contractors[2]', 'input.filters.contractors[2]: at most 200 characters');
    expect(fieldOf(chip)).toBe('contractors');
    expect(fieldMessage(chip)).toBe('Contractor chip 3: at most 200 characters');
  });

  it('leaves errors that name no filter field to the panel notice', () => {
    expect(fieldOf(bad('input.page', 'input.page: must be at least 1'))).toBeNull();
    expect(fieldOf(new ApiError('Too many', 'RATE_LIMITED', undefined, 42))).toBeNull();
  });

  it('says how long to wait when rate limited, and why a task failed', () => {
    expect(explain(new ApiError('x', 'RATE_LIMITED', undefined, 42), 42)).toBe('Too many requests from this address. Trying again in 42 s.');
    expect(explain(new ApiError('statement timeout', 'TASK_FAILED'), null)).toBe('The task failed: statement timeout');
  });
});
