// GraphiQL example tabs of issue 11: following one entity (drill-down by exact name) and
// exporting its contracts as CSV. Each tab holds several named operations (GraphiQL runs
// the one chosen with ▶); the synchronous ones ask one engine question each.

const FOLLOW_ONE_ENTITY = `# Follow one entity: from a top-10 chart to exactly its contracts and counterparties.
# 1. Run TopContractors and copy one label into "name" in Variables below.
# 2. Run the other operations: entities match that exact name, never a longer or
#    differently-cased one (a chip like contractors: ["..."] would match substrings).
query TopContractors {
  contractAnalytics(input: { filters: { timeRanges: [{ year: 2023 }] }, topN: 10 }) {
    summary { count totalValue firstAwardDate lastAwardDate }
    byContractor { label count totalValue avgValue }
  }
}

query EntityTrend($name: String!) {
  contractAnalytics(input: { filters: { entities: [{ dimension: CONTRACTOR, name: $name }] } }) {
    summary { count totalValue avgValue firstAwardDate lastAwardDate }
    byYear { period count totalValue }
    byArea { label count totalValue }
  }
}

query EntityContracts($name: String!) {
  searchContracts(input: {
    filters: { entities: [{ dimension: CONTRACTOR, name: $name }], timeRanges: [{ year: 2023 }] }
    pageSize: 20
  }) {
    pagination { totalCount totalPages }
    contracts { referenceId awardDate awardTitle organization area amount }
  }
}

query EntityCounterparties($name: String!) {
  analyticsTable(input: {
    filters: { entities: [{ dimension: CONTRACTOR, name: $name }] }
    dimension: ORGANIZATION
    pageSize: 20
  }) {
    pagination { totalCount }
    rows { label count totalValue avgValue }
  }
}

# Cite the data: what it is and "as of" when.
query DataAsOf {
  dataset { version updatedAt contracts firstAwardDate lastAwardDate }
}
`;

const EXPORT_CSV = `# Take the evidence home: every contract of one entity as a CSV file.
# 1. Put a contractor name (from the previous tab) into "name" and run SubmitExport.
#    The same export asked twice is one file: the answer is then CACHED or DEDUPLICATED.
# 2. Follow it (progress is rows written of rows matching) with the FollowTask tab, or
#    just run ExportReady with the cacheKey until status is READY.
# 3. Download: open http://<this server><url> (e.g. with curl -OJ); the file expires at expiresAt.
#    Use dimension: ORGANIZATION (or CONTRACTOR, AREA, BUSINESS_CATEGORY) for one row per name instead.
mutation SubmitExport($name: String!) {
  submitExport(input: { filters: { entities: [{ dimension: CONTRACTOR, name: $name }] } }) {
    status
    taskId
    cacheKey
    task { state progress status }
  }
}

query ExportReady($cacheKey: String!) {
  taskResult(cacheKey: $cacheKey) {
    status
    message
    data { ... on ExportResult { rows bytes columns url expiresAt } }
  }
}
`;

/** The drill-down and export tabs, to be appended to GraphiQL's default tabs. */
export const EXPLORE_TABS = [
  { query: FOLLOW_ONE_ENTITY, variables: JSON.stringify({ name: 'paste a label from TopContractors here' }, null, 2) },
  { query: EXPORT_CSV, variables: JSON.stringify({ name: 'paste a contractor name here', cacheKey: 'paste the cacheKey here' }, null, 2) },
];
