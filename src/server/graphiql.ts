// What GraphiQL shows on first open: a ready-to-run walk through the asynchronous flow.
// Tabs run in order: submit, then follow (WebSocket subscription), then read the result,
// plus the synchronous form of the same question.

import { renderGraphiQL as renderBundledGraphiQL } from '@graphql-yoga/render-graphiql';
import { EXPLORE_TABS } from './graphiql-explore.js';

const SUBMIT = `# 1. Queue a search. Run it (▶) and copy taskId and cacheKey from the answer
#    into the Variables of the next two tabs.
mutation SubmitSearch {
  submitSearch(input: {
    filters: { keywords: ["road"], timeRanges: [{ year: 2023 }] }
    sortBy: AMOUNT
    pageSize: 10
  }) {
    status      # QUEUED, CACHED (answered before) or DEDUPLICATED (already running)
    taskId
    cacheKey
    message
    task { state progress status }
  }
}
`;

const FOLLOW = `# 2. Follow the task: the current state first, then every change, until SUCCESS or FAILURE.
#    Paste the taskId from tab 1 into Variables below.
subscription FollowTask($taskId: ID!) {
  taskProgress(taskId: $taskId) {
    state
    progress
    status
    error
    cacheKey
  }
}
`;

const RESULT = `# 3. Read the result (READY once the task succeeded). Paste the cacheKey from tab 1.
query TaskResult($cacheKey: String!) {
  taskResult(cacheKey: $cacheKey) {
    status
    message
    data {
      ... on SearchResult {
        pagination { totalCount totalPages }
        contracts { referenceId awardTitle contractor organization amount awardDate }
      }
    }
  }
}
`;

const SYNC = `# The same question answered synchronously (fine for small questions),
# and chip autocomplete.
query SearchNow {
  searchContracts(input: {
    filters: { keywords: ["road"], timeRanges: [{ year: 2023 }] }
    sortBy: AMOUNT
    pageSize: 10
  }) {
    pagination { totalCount }
    contracts { referenceId awardTitle contractor amount awardDate }
  }
  filterOptions(dimension: CONTRACTOR, search: "construction", limit: 5) { label count }
}
`;

const MONITOR = `# Operators: the task system at a glance (Redis only; cheap enough to poll every second).
query QueueStats {
  queueStats {
    at
    since
    queueDepth
    maxQueueDepth
    oldestWaitingAgeSeconds
    kinds { kind waiting running retrying succeeded failed attempts }
    workers { id host pid concurrency running lastHeartbeat startedAt }
    cache { entries hits misses hitRatio }
  }
}
`;

/** GraphiQL options: WebSocket subscriptions and the example tabs. */
export function graphiqlOptions() {
  return {
    title: 'Kontrata: PhilGEPS contract awards',
    subscriptionsProtocol: 'WS' as const,
    defaultQuery: SUBMIT,
    defaultTabs: [
      { query: SUBMIT },
      { query: FOLLOW, variables: JSON.stringify({ taskId: 'paste the taskId here' }, null, 2) },
      { query: RESULT, variables: JSON.stringify({ cacheKey: 'paste the cacheKey here' }, null, 2) },
      { query: SYNC },
      { query: MONITOR },
      ...EXPLORE_TABS, // drill-down and CSV export (issue 11)
    ],
  };
}

let rendered: { key: string; html: string } | undefined;

/**
 * GraphiQL's page with its JavaScript, CSS and editor workers inlined (from
 * @graphql-yoga/render-graphiql) instead of yoga's default, which loads them from a public
 * CDN and so never renders on a machine without internet. The page is several MB, so the
 * last rendering is kept (the options are the same for every request).
 */
export function renderGraphiQL(opts?: Parameters<typeof renderBundledGraphiQL>[0]): string {
  const key = JSON.stringify(opts ?? {});
  if (rendered?.key !== key) rendered = { key, html: renderBundledGraphiQL(opts) };
  return rendered.html;
}
