/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** What aggregate rows are ordered by. Ties are broken by label ascending. */
export type AggregateSortField =
  /** Average of known contract amounts. */
  | 'AVG_VALUE'
  /** Number of contracts. */
  | 'COUNT'
  /** The group label, alphabetically. */
  | 'LABEL'
  /** Sum of known contract amounts. */
  | 'TOTAL_VALUE';

/** Dashboard analytics of the contracts matching a filter. */
export type AnalyticsInput = {
  /** Which contracts. */
  filters: ContractFilter;
  /** Rows per top-N chart, 1..100. */
  topN?: number | null | undefined;
};

/** A paged aggregate table of the contracts matching a filter. */
export type AnalyticsTableInput = {
  /** What to group by. */
  dimension: Dimension;
  /** Which contracts. */
  filters: ContractFilter;
  /** Page number, from 1. */
  page?: number | null | undefined;
  /** Rows per page, 1..500. */
  pageSize?: number | null | undefined;
  /** Sort key; ties are broken by label ascending. */
  sortBy?: AggregateSortField | null | undefined;
  /** Sort direction. */
  sortDirection?: SortDirection | null | undefined;
};

/** Which contracts a question is about. Dimensions are AND'ed; an empty filter selects every contract. */
export type ContractFilter = {
  /** Areas of delivery (a missing area matches no chip). Each chip matches case-insensitively as a substring; "a && b" in one chip needs both parts. Chips are OR'ed; at most 50 chips of at most 200 characters; empty or missing does not filter. */
  areas?: Array<string> | null | undefined;
  /** Business categories. Each chip matches case-insensitively as a substring; "a && b" in one chip needs both parts. Chips are OR'ed; at most 50 chips of at most 200 characters; empty or missing does not filter. */
  businessCategories?: Array<string> | null | undefined;
  /** Awardee names. Each chip matches case-insensitively as a substring; "a && b" in one chip needs both parts. Chips are OR'ed; at most 50 chips of at most 200 characters; empty or missing does not filter. */
  contractors?: Array<string> | null | undefined;
  /** Exact names, not substrings: a contract matches when the name of its dimension equals one of them. Entities of one dimension are OR'ed and AND'ed with everything else (chips of that dimension included); at most 50; empty or missing does not filter. */
  entities?: Array<EntityInput> | null | undefined;
  /** Words in the award title or the notice title. Each chip matches case-insensitively as a substring; "a && b" in one chip needs both parts. Chips are OR'ed; at most 50 chips of at most 200 characters; empty or missing does not filter. */
  keywords?: Array<string> | null | undefined;
  /** Largest contract amount in pesos, inclusive, not below minAmount; excludes contracts without an amount. */
  maxAmount?: number | null | undefined;
  /** Smallest contract amount in pesos, inclusive, not negative; excludes contracts without an amount. */
  minAmount?: number | null | undefined;
  /** Procuring entity names. Each chip matches case-insensitively as a substring; "a && b" in one chip needs both parts. Chips are OR'ed; at most 50 chips of at most 200 characters; empty or missing does not filter. */
  organizations?: Array<string> | null | undefined;
  /** Award date periods, OR'ed; empty or missing does not filter. */
  timeRanges?: Array<TimeRangeInput> | null | undefined;
};

/** What contract search results are ordered by. Ties are broken by referenceId ascending. */
export type ContractSortField =
  /** Contract amount; contracts without an amount come last in both directions. */
  | 'AMOUNT'
  /** Award date. */
  | 'AWARD_DATE'
  /** Award title, alphabetically. */
  | 'AWARD_TITLE'
  /** Awardee name, alphabetically. */
  | 'CONTRACTOR'
  /** Procuring entity name, alphabetically. */
  | 'ORGANIZATION';

/** A dimension contracts can be grouped or filtered by. */
export type Dimension =
  /** The area of delivery; contracts without one are grouped under "(unspecified)". */
  | 'AREA'
  /** The PhilGEPS business category. */
  | 'BUSINESS_CATEGORY'
  /** The awardee. */
  | 'CONTRACTOR'
  /** The procuring entity. */
  | 'ORGANIZATION';

/** One contractor, organization, area or category by its exact name (drill-down from a chart bar or a table row). */
export type EntityInput = {
  /** Which dimension the name belongs to. */
  dimension: Dimension;
  /** The exact name as results and filterOptions spell it (case-sensitive; surrounding whitespace is ignored), at most 300 characters. The AREA name "(unspecified)" selects the contracts without an area. */
  name: string;
};

/** A CSV export of every contract matching a filter, or of every group of one dimension. */
export type ExportInput = {
  /** Omitted: one row per contract (award date descending, then referenceId). Set: one row per name of that dimension (total value descending, then label), as analyticsTable computes them. */
  dimension?: Dimension | null | undefined;
  /** Which contracts. */
  filters: ContractFilter;
};

/** Whether a task result can be read. */
export type ResultStatus =
  /** The task failed for good; message says why. */
  | 'FAILED'
  /** No task and no result for this key (never submitted, expired, or lost by the task store; the message says which is possible). */
  | 'NOT_FOUND'
  /** The task is queued or running. */
  | 'NOT_READY'
  /** The result is in the cache; data is set. */
  | 'READY';

/** A contract search: a filter, a page and an order. */
export type SearchInput = {
  /** Which contracts. */
  filters: ContractFilter;
  /** Page number, from 1. */
  page?: number | null | undefined;
  /** Contracts per page, 1..500. */
  pageSize?: number | null | undefined;
  /** Sort key; ties are broken by referenceId ascending. */
  sortBy?: ContractSortField | null | undefined;
  /** Sort direction. */
  sortDirection?: SortDirection | null | undefined;
};

/** Sort order. */
export type SortDirection =
  /** Smallest, earliest or alphabetically first value first. */
  | 'ASC'
  /** Largest, latest or alphabetically last value first. */
  | 'DESC';

/** Lifecycle of a task. SUCCESS and FAILURE are final. */
export type TaskState =
  /** Failed for good after all retries (error says why). */
  | 'FAILURE'
  /** Queued, waiting for a worker. */
  | 'PENDING'
  /** Running; progress and status say how far. */
  | 'PROGRESS'
  /** The last attempt failed and another attempt will follow (error says why). */
  | 'RETRY'
  /** A worker has picked it up. */
  | 'STARTED'
  /** Done; the result is in the cache under cacheKey. */
  | 'SUCCESS';

/** How a submission was handled. */
export type TicketStatus =
  /** The result is already in the cache; the ticket's task is in SUCCESS. */
  | 'CACHED'
  /** An identical task is already queued or running; the ticket is for that task. */
  | 'DEDUPLICATED'
  /** A new task was queued. */
  | 'QUEUED';

/** A period of award dates, in exactly one form: { year } a calendar year; { year, quarter } quarter 1..4 of that year; { from, to } inclusive dates where either end may be omitted. */
export type TimeRangeInput = {
  /** First award date included (open when omitted). */
  from?: string | null | undefined;
  /** Quarter 1..4 of year (needs year). */
  quarter?: number | null | undefined;
  /** Last award date included (open when omitted); not before from. */
  to?: string | null | undefined;
  /** Calendar year, alone or with quarter. */
  year?: number | null | undefined;
};

export type TicketFragment = { status: TicketStatus, taskId: string, cacheKey: string, message: string, task: { state: TaskState, progress: number, status: string, error: string | null } };

export type SubmitAnalyticsMutationVariables = Exact<{
  input: AnalyticsInput;
}>;


export type SubmitAnalyticsMutation = { submitAnalytics: { status: TicketStatus, taskId: string, cacheKey: string, message: string, task: { state: TaskState, progress: number, status: string, error: string | null } } };

export type SubmitSearchMutationVariables = Exact<{
  input: SearchInput;
}>;


export type SubmitSearchMutation = { submitSearch: { status: TicketStatus, taskId: string, cacheKey: string, message: string, task: { state: TaskState, progress: number, status: string, error: string | null } } };

export type SubmitAnalyticsTableMutationVariables = Exact<{
  input: AnalyticsTableInput;
}>;


export type SubmitAnalyticsTableMutation = { submitAnalyticsTable: { status: TicketStatus, taskId: string, cacheKey: string, message: string, task: { state: TaskState, progress: number, status: string, error: string | null } } };

export type TaskProgressSubscriptionVariables = Exact<{
  taskId: string | number;
}>;


export type TaskProgressSubscription = { taskProgress: { taskId: string, state: TaskState, progress: number, status: string, error: string | null, cacheKey: string } };

export type AnalyticsResultQueryVariables = Exact<{
  cacheKey: string;
}>;


export type AnalyticsResultQuery = { taskResult: { status: ResultStatus, message: string, data:
      | { summary: { count: number, totalValue: number, avgValue: number, firstAwardDate: string | null, lastAwardDate: string | null }, byYear: Array<{ period: string, count: number, totalValue: number }>, byMonth: Array<{ period: string, count: number, totalValue: number }>, byContractor: Array<{ label: string, count: number, totalValue: number, avgValue: number }>, byOrganization: Array<{ label: string, count: number, totalValue: number, avgValue: number }>, byArea: Array<{ label: string, count: number, totalValue: number, avgValue: number }>, byCategory: Array<{ label: string, count: number, totalValue: number, avgValue: number }> }
      | Record<PropertyKey, never>
     | null } };

export type SearchResultQueryVariables = Exact<{
  cacheKey: string;
}>;


export type SearchResultQuery = { taskResult: { status: ResultStatus, message: string, data:
      | { contracts: Array<{ id: string, referenceId: string, awardTitle: string, contractor: string, organization: string, area: string | null, businessCategory: string, amount: number | null, awardDate: string }>, pagination: { page: number, pageSize: number, totalCount: number, totalPages: number, hasNext: boolean, hasPrevious: boolean } }
      | Record<PropertyKey, never>
     | null } };

export type AnalyticsTableResultQueryVariables = Exact<{
  cacheKey: string;
}>;


export type AnalyticsTableResultQuery = { taskResult: { status: ResultStatus, message: string, data:
      | { dimension: Dimension, rows: Array<{ label: string, count: number, totalValue: number, avgValue: number }>, pagination: { page: number, pageSize: number, totalCount: number, totalPages: number, hasNext: boolean, hasPrevious: boolean } }
      | Record<PropertyKey, never>
     | null } };

export type FilterOptionsQueryVariables = Exact<{
  dimension: Dimension;
  search?: string | null | undefined;
  limit?: number | null | undefined;
}>;


export type FilterOptionsQuery = { filterOptions: Array<{ label: string, count: number }> };

export type DatasetQueryVariables = Exact<{ [key: string]: never; }>;


export type DatasetQuery = { dataset: { version: string, updatedAt: string, contracts: number, firstAwardDate: string | null, lastAwardDate: string | null, years: Array<number> } };

export type SubmitExportMutationVariables = Exact<{
  input: ExportInput;
}>;


export type SubmitExportMutation = { submitExport: { status: TicketStatus, taskId: string, cacheKey: string, message: string, task: { state: TaskState, progress: number, status: string, error: string | null } } };

export type ExportResultQueryVariables = Exact<{
  cacheKey: string;
}>;


export type ExportResultQuery = { taskResult: { status: ResultStatus, message: string, data:
      | { rows: number, bytes: number, columns: Array<string>, url: string, expiresAt: string }
      | Record<PropertyKey, never>
     | null } };
