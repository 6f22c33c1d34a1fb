// Every GraphQL document the dashboard sends. Types for them are generated into
// generated.ts (npm run web:codegen); each document is a plain string marked for codegen,
// which reads the literal text (interpolated fragments are found as their own documents).

export const TICKET = /* GraphQL */ `
  fragment Ticket on TaskTicket {
    status
    taskId
    cacheKey
    message
    task { state progress status error }
  }
`;

export const SUBMIT_ANALYTICS = /* GraphQL */ `
  mutation SubmitAnalytics($input: AnalyticsInput!) {
    submitAnalytics(input: $input) { ...Ticket }
  }
  ${TICKET}
`;

export const SUBMIT_SEARCH = /* GraphQL */ `
  mutation SubmitSearch($input: SearchInput!) {
    submitSearch(input: $input) { ...Ticket }
  }
  ${TICKET}
`;

export const SUBMIT_TABLE = /* GraphQL */ `
  mutation SubmitAnalyticsTable($input: AnalyticsTableInput!) {
    submitAnalyticsTable(input: $input) { ...Ticket }
  }
  ${TICKET}
`;

export const TASK_PROGRESS = /* GraphQL */ `
  subscription TaskProgress($taskId: ID!) {
    taskProgress(taskId: $taskId) { taskId state progress status error cacheKey }
  }
`;

export const ANALYTICS_RESULT = /* GraphQL */ `
  query AnalyticsResult($cacheKey: String!) {
    taskResult(cacheKey: $cacheKey) {
      status
      message
      data {
        ... on AnalyticsResult {
          summary { count totalValue avgValue firstAwardDate lastAwardDate }
          byYear { period count totalValue }
          byMonth { period count totalValue }
          byContractor { label count totalValue avgValue }
          byOrganization { label count totalValue avgValue }
          byArea { label count totalValue avgValue }
          byCategory { label count totalValue avgValue }
        }
      }
    }
  }
`;

export const SEARCH_RESULT = /* GraphQL */ `
  query SearchResult($cacheKey: String!) {
    taskResult(cacheKey: $cacheKey) {
      status
      message
      data {
        ... on SearchResult {
          contracts { id referenceId awardTitle contractor organization area businessCategory amount awardDate }
          pagination { page pageSize totalCount totalPages hasNext hasPrevious }
        }
      }
    }
  }
`;

export const TABLE_RESULT = /* GraphQL */ `
  query AnalyticsTableResult($cacheKey: String!) {
    taskResult(cacheKey: $cacheKey) {
      status
      message
      data {
        ... on AnalyticsTableResult {
          dimension
          rows { label count totalValue avgValue }
          pagination { page pageSize totalCount totalPages hasNext hasPrevious }
        }
      }
    }
  }
`;

export const FILTER_OPTIONS = /* GraphQL */ `
  query FilterOptions($dimension: Dimension!, $search: String, $limit: Int) {
    filterOptions(dimension: $dimension, search: $search, limit: $limit) { label count }
  }
`;

export const DATASET = /* GraphQL */ `
  query Dataset {
    dataset { version updatedAt contracts firstAwardDate lastAwardDate years }
  }
`;

export const SUBMIT_EXPORT = /* GraphQL */ `
  mutation SubmitExport($input: ExportInput!) {
    submitExport(input: $input) { ...Ticket }
  }
  ${TICKET}
`;

export const EXPORT_RESULT = /* GraphQL */ `
  query ExportResult($cacheKey: String!) {
    taskResult(cacheKey: $cacheKey) {
      status
      message
      data {
        ... on ExportResult { rows bytes columns url expiresAt }
      }
    }
  }
`;
