// Everything a view shows is in the URL (so it can be shared and reloaded): the filter,
// the drill-down path, the contracts table's sort and page, the table view's dimension,
// sort and page. This module is the codec between the URL and that state, and the one
// place that turns the state into the API's ContractFilter.
import type { AggregateSortField, ContractFilter, ContractSortField, Dimension, SortDirection, TimeRangeInput } from '../api/generated.js';

export type ChipKey = 'contractors' | 'organizations' | 'areas' | 'businessCategories' | 'keywords';

export type TimeRange = { year?: number; quarter?: number; from?: string; to?: string };

export type Filter = {
  chips: Record<ChipKey, string[]>;
  timeRanges: TimeRange[];
  minAmount?: number;
  maxAmount?: number;
};

/** One step of a drill-down: an exact name of a dimension. */
export type Entity = { dimension: Dimension; name: string };

export type ViewState = {
  filter: Filter;
  entities: Entity[];
  sortBy: ContractSortField;
  sortDirection: SortDirection;
  page: number;
  /** null: the dashboard; a dimension: its table view. */
  table: Dimension | null;
  tableSortBy: AggregateSortField;
  tableSortDirection: SortDirection;
  tablePage: number;
};

export const CHIP_KEYS: ChipKey[] = ['contractors', 'organizations', 'areas', 'businessCategories', 'keywords'];
export const DIMENSIONS: Dimension[] = ['CONTRACTOR', 'ORGANIZATION', 'AREA', 'BUSINESS_CATEGORY'];

/** URL parameter per chip dimension (short, readable in a shared link). */
const CHIP_PARAM: Record<ChipKey, string> = {
  contractors: 'contractor',
  organizations: 'organization',
  areas: 'area',
  businessCategories: 'category',
  keywords: 'keyword',
};

export const CHIP_DIMENSION: Record<ChipKey, Dimension | null> = {
  contractors: 'CONTRACTOR',
  organizations: 'ORGANIZATION',
  areas: 'AREA',
  businessCategories: 'BUSINESS_CATEGORY',
  keywords: null,
};

export const DIMENSION_LABEL: Record<Dimension, { one: string; many: string }> = {
  CONTRACTOR: { one: 'Contractor', many: 'Contractors' },
  ORGANIZATION: { one: 'Organization', many: 'Organizations' },
  AREA: { one: 'Area', many: 'Areas' },
  BUSINESS_CATEGORY: { one: 'Category', many: 'Categories' },
};

const CONTRACT_SORTS: ContractSortField[] = ['AWARD_DATE', 'AMOUNT', 'AWARD_TITLE', 'CONTRACTOR', 'ORGANIZATION'];
const AGGREGATE_SORTS: AggregateSortField[] = ['TOTAL_VALUE', 'COUNT', 'AVG_VALUE', 'LABEL'];

export function emptyFilter(): Filter {
  return { chips: { contractors: [], organizations: [], areas: [], businessCategories: [], keywords: [] }, timeRanges: [] };
}

export function defaultView(): ViewState {
  return {
    filter: emptyFilter(),
    entities: [],
    sortBy: 'AWARD_DATE',
    sortDirection: 'DESC',
    page: 1,
    table: null,
    tableSortBy: 'TOTAL_VALUE',
    tableSortDirection: 'DESC',
    tablePage: 1,
  };
}

/** "2023", "2023-Q2", "2023-01-01..2023-06-30" (either end may be empty). */
export function formatTimeRange(range: TimeRange): string {
  if (range.from !== undefined || range.to !== undefined) return `${range.from ?? ''}..${range.to ?? ''}`;
  if (range.quarter !== undefined) return `${range.year}-Q${range.quarter}`;
  return String(range.year ?? '');
}

/** Parses formatTimeRange's forms; anything else is kept as given for the API to judge. */
export function parseTimeRange(text: string): TimeRange | null {
  const quarter = /^(\d{4})-Q(\d+)$/i.exec(text);
  if (quarter) return { year: Number(quarter[1]), quarter: Number(quarter[2]) };
  if (/^\d{4}$/.test(text)) return { year: Number(text) };
  const dates = /^(\d{4}-\d{2}-\d{2})?\.\.(\d{4}-\d{2}-\d{2})?$/.exec(text);
  if (dates && (dates[1] || dates[2])) return { ...(dates[1] ? { from: dates[1] } : {}), ...(dates[2] ? { to: dates[2] } : {}) };
  return null;
}

function positiveInt(text: string | null, fallback: number): number {
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

function amount(text: string | null): number | undefined {
  if (text === null || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function sortOf<T extends string>(text: string | null, allowed: T[], fallback: [T, SortDirection]): [T, SortDirection] {
  const [field, dir] = (text ?? '').split('.');
  if (!allowed.includes(field as T)) return fallback;
  return [field as T, dir === 'asc' ? 'ASC' : 'DESC'];
}

/** URL query string -> view state (unknown or malformed parameters fall back to defaults). */
export function viewFromSearch(search: string): ViewState {
  const params = new URLSearchParams(search);
  const view = defaultView();
  for (const key of CHIP_KEYS) view.filter.chips[key] = params.getAll(CHIP_PARAM[key]).filter((chip) => chip.trim() !== '');
  view.filter.timeRanges = params.getAll('time').map(parseTimeRange).filter((r): r is TimeRange => r !== null);
  view.filter.minAmount = amount(params.get('min'));
  view.filter.maxAmount = amount(params.get('max'));
  view.entities = params.getAll('entity').flatMap((text) => {
    const at = text.indexOf(':');
    const dimension = text.slice(0, at) as Dimension;
    return at > 0 && DIMENSIONS.includes(dimension) ? [{ dimension, name: text.slice(at + 1) }] : [];
  });
  [view.sortBy, view.sortDirection] = sortOf(params.get('sort'), CONTRACT_SORTS, ['AWARD_DATE', 'DESC']);
  view.page = positiveInt(params.get('page'), 1);
  const table = params.get('table') as Dimension | null;
  view.table = table && DIMENSIONS.includes(table) ? table : null;
  [view.tableSortBy, view.tableSortDirection] = sortOf(params.get('tsort'), AGGREGATE_SORTS, ['TOTAL_VALUE', 'DESC']);
  view.tablePage = positiveInt(params.get('tpage'), 1);
  return view;
}

/** View state -> URL query string (defaults left out, so links stay short). */
export function searchFromView(view: ViewState): string {
  const params = new URLSearchParams();
  for (const key of CHIP_KEYS) for (const chip of view.filter.chips[key]) params.append(CHIP_PARAM[key], chip);
  for (const range of view.filter.timeRanges) params.append('time', formatTimeRange(range));
  if (view.filter.minAmount !== undefined) params.set('min', String(view.filter.minAmount));
  if (view.filter.maxAmount !== undefined) params.set('max', String(view.filter.maxAmount));
  for (const entity of view.entities) params.append('entity', `${entity.dimension}:${entity.name}`);
  if (view.sortBy !== 'AWARD_DATE' || view.sortDirection !== 'DESC') params.set('sort', `${view.sortBy}.${view.sortDirection.toLowerCase()}`);
  if (view.page !== 1) params.set('page', String(view.page));
  if (view.table) params.set('table', view.table);
  if (view.tableSortBy !== 'TOTAL_VALUE' || view.tableSortDirection !== 'DESC') params.set('tsort', `${view.tableSortBy}.${view.tableSortDirection.toLowerCase()}`);
  if (view.tablePage !== 1) params.set('tpage', String(view.tablePage));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The API's ContractFilter for a view (its chips, ranges, amounts and drill-down path). */
export function contractFilter(view: Pick<ViewState, 'filter' | 'entities'>): ContractFilter {
  const { filter } = view;
  const result: ContractFilter = {};
  for (const key of CHIP_KEYS) if (filter.chips[key].length) result[key] = filter.chips[key];
  if (filter.timeRanges.length) result.timeRanges = filter.timeRanges.map((r): TimeRangeInput => ({ ...r }));
  if (filter.minAmount !== undefined) result.minAmount = filter.minAmount;
  if (filter.maxAmount !== undefined) result.maxAmount = filter.maxAmount;
  return withEntities(result, view.entities);
}

/** Adds the drill-down path as exact `entities` (names as the API spells them). */
function withEntities(filter: ContractFilter, entities: Entity[]): ContractFilter {
  return entities.length ? { ...filter, entities: entities.map(({ dimension, name }) => ({ dimension, name })) } : filter;
}
