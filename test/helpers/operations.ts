// GraphQL documents shared by the API tests: full selections, so comparing a task's
// result with the synchronous answer compares every field.
const PAGINATION = 'fragment PaginationFields on Pagination { page pageSize totalCount totalPages hasNext hasPrevious }';
const SEARCH_FIELDS = /* GraphQL */ `
  fragment SearchFields on SearchResult {
    contracts { id referenceId awardTitle noticeTitle contractor organization area businessCategory procurementMode amount approvedBudget awardDate }
    pagination { ...PaginationFields }
  }
`;
const ANALYTICS_FIELDS = /* GraphQL */ `
  fragment AnalyticsFields on AnalyticsResult {
    summary { count totalValue avgValue firstAwardDate lastAwardDate }
    byYear { period count totalValue }
    byMonth { period count totalValue }
    byContractor { label count totalValue avgValue }
    byOrganization { label count totalValue avgValue }
    byArea { label count totalValue avgValue }
    byCategory { label count totalValue avgValue }
  }
`;
const TABLE_FIELDS = /* GraphQL */ `
  fragment TableFields on AnalyticsTableResult {
    dimension
    rows { label count totalValue avgValue }
    pagination { ...PaginationFields }
  }
`;

const TICKET = 'status taskId cacheKey message task { id kind state progress status cacheKey error attempts createdAt startedAt finishedAt }';

export const SUBMIT = {
  SEARCH: `mutation($input: SearchInput!) { ticket: submitSearch(input: $input) { ${TICKET} } }`,
  ANALYTICS: `mutation($input: AnalyticsInput!) { ticket: submitAnalytics(input: $input) { ${TICKET} } }`,
  ANALYTICS_TABLE: `mutation($input: AnalyticsTableInput!) { ticket: submitAnalyticsTable(input: $input) { ${TICKET} } }`,
} as const;

// Each document carries exactly the fragments it uses (GraphQL rejects unused fragments).
export const SYNC = {
  SEARCH: `query($input: SearchInput!) { answer: searchContracts(input: $input) { ...SearchFields } } ${SEARCH_FIELDS} ${PAGINATION}`,
  ANALYTICS: `query($input: AnalyticsInput!) { answer: contractAnalytics(input: $input) { ...AnalyticsFields } } ${ANALYTICS_FIELDS}`,
  ANALYTICS_TABLE: `query($input: AnalyticsTableInput!) { answer: analyticsTable(input: $input) { ...TableFields } } ${TABLE_FIELDS} ${PAGINATION}`,
} as const;

export const TASK_RESULT = /* GraphQL */ `
  query($cacheKey: String!) {
    taskResult(cacheKey: $cacheKey) {
      status
      message
      data { __typename ...SearchFields ...AnalyticsFields ...TableFields }
    }
  }
  ${SEARCH_FIELDS} ${ANALYTICS_FIELDS} ${TABLE_FIELDS} ${PAGINATION}
`;

export const TASK_STATUS = /* GraphQL */ `
  query($taskId: ID!) { taskStatus(taskId: $taskId) { id kind state progress status cacheKey error attempts createdAt startedAt finishedAt } }
`;

export type Ticket = {
  status: 'QUEUED' | 'CACHED' | 'DEDUPLICATED';
  taskId: string;
  cacheKey: string;
  message: string;
  task: { id: string; kind: string; state: string; progress: number; status: string; cacheKey: string; error: string | null; attempts: number; createdAt: string };
};
