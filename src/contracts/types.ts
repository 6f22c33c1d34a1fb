// Inputs and results of the query engine, exactly the shapes of ../shared/API.md.
// Plain TypeScript: no GraphQL here. The GraphQL layer and the task system both
// build on these.

export type SortDirection = 'ASC' | 'DESC';
export type ContractSortField = 'AWARD_DATE' | 'AMOUNT' | 'AWARD_TITLE' | 'CONTRACTOR' | 'ORGANIZATION';
export type Dimension = 'CONTRACTOR' | 'ORGANIZATION' | 'AREA' | 'BUSINESS_CATEGORY';
export type AggregateSortField = 'TOTAL_VALUE' | 'COUNT' | 'AVG_VALUE' | 'LABEL';

export const SORT_DIRECTIONS: readonly SortDirection[] = ['ASC', 'DESC'];
export const CONTRACT_SORT_FIELDS: readonly ContractSortField[] = ['AWARD_DATE', 'AMOUNT', 'AWARD_TITLE', 'CONTRACTOR', 'ORGANIZATION'];
export const DIMENSIONS: readonly Dimension[] = ['CONTRACTOR', 'ORGANIZATION', 'AREA', 'BUSINESS_CATEGORY'];
export const AGGREGATE_SORT_FIELDS: readonly AggregateSortField[] = ['TOTAL_VALUE', 'COUNT', 'AVG_VALUE', 'LABEL'];

/** Dates are 'YYYY-MM-DD' strings throughout the engine (the API's Date scalar). */
export type IsoDate = string;

export type TimeRangeInput = {
  year?: number | null;
  quarter?: number | null;
  from?: IsoDate | null;
  to?: IsoDate | null;
};

export type ContractFilter = {
  contractors?: string[] | null;
  organizations?: string[] | null;
  areas?: string[] | null;
  businessCategories?: string[] | null;
  keywords?: string[] | null;
  timeRanges?: TimeRangeInput[] | null;
  minAmount?: number | null;
  maxAmount?: number | null;
  entities?: EntityInput[] | null;
};

/** One contractor, organization, area or category by its exact name (drill-down). */
export type EntityInput = { dimension: Dimension; name: string };

export type SearchInput = {
  filters: ContractFilter;
  page?: number | null;
  pageSize?: number | null;
  sortBy?: ContractSortField | null;
  sortDirection?: SortDirection | null;
};

export type AnalyticsInput = { filters: ContractFilter; topN?: number | null };

export type AnalyticsTableInput = {
  filters: ContractFilter;
  dimension: Dimension;
  page?: number | null;
  pageSize?: number | null;
  sortBy?: AggregateSortField | null;
  sortDirection?: SortDirection | null;
};

export type FilterOptionsInput = { dimension: Dimension; search?: string | null; limit?: number | null };

// ---- normalised forms: validated, defaults applied, chips trimmed/lower-cased/deduplicated/sorted.
// These are what the engine executes and what task cache keys hash.

/** One chip split on `&&`: every part must match. Parts are trimmed, lower-cased, non-empty, sorted. */
export type Chip = string[];

/** An entity with its name trimmed (never lower-cased: names are case-sensitive). */
export type NormalizedEntity = { dimension: Dimension; name: string };

/** A time range reduced to inclusive bounds; null = open end. */
export type NormalizedTimeRange = { from: IsoDate | null; to: IsoDate | null };

export type NormalizedFilter = {
  contractors: Chip[];
  organizations: Chip[];
  areas: Chip[];
  businessCategories: Chip[];
  keywords: Chip[];
  timeRanges: NormalizedTimeRange[];
  minAmount: number | null;
  maxAmount: number | null;
  /** De-duplicated, sorted by dimension (DIMENSIONS order) then name (code units). */
  entities: NormalizedEntity[];
};

export type NormalizedSearchInput = {
  filters: NormalizedFilter;
  page: number;
  pageSize: number;
  sortBy: ContractSortField;
  sortDirection: SortDirection;
};
export type NormalizedAnalyticsInput = { filters: NormalizedFilter; topN: number };
export type NormalizedAnalyticsTableInput = {
  filters: NormalizedFilter;
  dimension: Dimension;
  page: number;
  pageSize: number;
  sortBy: AggregateSortField;
  sortDirection: SortDirection;
};

// ---- results

export type Pagination = {
  page: number;
  pageSize: number;
  totalCount: number;
  totalPages: number;
  hasNext: boolean;
  hasPrevious: boolean;
};

/** The descriptive fields of an award, as stored: shared by a contract and an imported CSV award record. */
export type AwardDescription = {
  referenceId: string;
  awardTitle: string;
  noticeTitle: string | null;
  contractor: string;
  organization: string;
  area: string | null;
  businessCategory: string;
  procurementMode: string | null;
};

export type Contract = { id: string } & AwardDescription & {
  amount: number | null;
  approvedBudget: number | null;
  awardDate: IsoDate;
};

export type SearchResult = { contracts: Contract[]; pagination: Pagination };
/** firstAwardDate/lastAwardDate: earliest and latest award date of the matching contracts, null when none match. */
export type Summary = { count: number; totalValue: number; avgValue: number; firstAwardDate: IsoDate | null; lastAwardDate: IsoDate | null };
/** avgValue: totalValue / contracts with a known amount, 0 when none (as AggregateRow). */
export type Bucket = { label: string; count: number; totalValue: number; avgValue: number };
export type PeriodBucket = { period: string; count: number; totalValue: number };
export type AnalyticsResult = {
  summary: Summary;
  byYear: PeriodBucket[];
  byMonth: PeriodBucket[];
  byContractor: Bucket[];
  byOrganization: Bucket[];
  byArea: Bucket[];
  byCategory: Bucket[];
};
export type AggregateRow = { label: string; count: number; totalValue: number; avgValue: number };
export type AnalyticsTableResult = { dimension: Dimension; rows: AggregateRow[]; pagination: Pagination };
export type FilterOption = { dimension: Dimension; label: string; count: number };

/** Label under which contracts without an area are counted. */
export const UNSPECIFIED_AREA = '(unspecified)';

// ---- running long calls

/** Progress of a long call: `done` of `total` steps of real work, and what is happening, for people. */
export type ProgressUpdate = { done: number; total: number; message: string };

export type RunOptions = {
  /** Aborting cancels the running PostgreSQL statement (pg_cancel_backend) and rejects with CancelledError. */
  signal?: AbortSignal;
  /** Called after each step of real work; `done` never decreases. */
  onProgress?: (update: ProgressUpdate) => void;
};
