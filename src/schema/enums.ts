// Enums shared by several areas of the schema. Values are exactly API.md's; the
// TypeScript unions in contracts/types.ts and tasks/types.ts are their shapes.
import { builder } from './builder.js';

export const SortDirectionEnum = builder.enumType('SortDirection', {
  description: 'Sort order.',
  values: {
    ASC: { description: 'Smallest, earliest or alphabetically first value first.' },
    DESC: { description: 'Largest, latest or alphabetically last value first.' },
  } as const,
});

export const ContractSortFieldEnum = builder.enumType('ContractSortField', {
  description: 'What contract search results are ordered by. Ties are broken by referenceId ascending.',
  values: {
    AWARD_DATE: { description: 'Award date.' },
    AMOUNT: { description: 'Contract amount; contracts without an amount come last in both directions.' },
    AWARD_TITLE: { description: 'Award title, alphabetically.' },
    CONTRACTOR: { description: 'Awardee name, alphabetically.' },
    ORGANIZATION: { description: 'Procuring entity name, alphabetically.' },
  } as const,
});

export const DimensionEnum = builder.enumType('Dimension', {
  description: 'A dimension contracts can be grouped or filtered by.',
  values: {
    CONTRACTOR: { description: 'The awardee.' },
    ORGANIZATION: { description: 'The procuring entity.' },
    AREA: { description: 'The area of delivery; contracts without one are grouped under "(unspecified)".' },
    BUSINESS_CATEGORY: { description: 'The PhilGEPS business category.' },
  } as const,
});

export const AggregateSortFieldEnum = builder.enumType('AggregateSortField', {
  description: 'What aggregate rows are ordered by. Ties are broken by label ascending.',
  values: {
    TOTAL_VALUE: { description: 'Sum of known contract amounts.' },
    COUNT: { description: 'Number of contracts.' },
    AVG_VALUE: { description: 'Average of known contract amounts.' },
    LABEL: { description: 'The group label, alphabetically.' },
  } as const,
});

export const TaskStateEnum = builder.enumType('TaskState', {
  description: 'Lifecycle of a task. SUCCESS and FAILURE are final.',
  values: {
    PENDING: { description: 'Queued, waiting for a worker.' },
    STARTED: { description: 'A worker has picked it up.' },
    PROGRESS: { description: 'Running; progress and status say how far.' },
    RETRY: { description: 'The last attempt failed and another attempt will follow (error says why).' },
    SUCCESS: { description: 'Done; the result is in the cache under cacheKey.' },
    FAILURE: { description: 'Failed for good after all retries (error says why).' },
  } as const,
});

export const TicketStatusEnum = builder.enumType('TicketStatus', {
  description: 'How a submission was handled.',
  values: {
    QUEUED: { description: 'A new task was queued.' },
    CACHED: { description: 'The result is already in the cache; the ticket\'s task is in SUCCESS.' },
    DEDUPLICATED: { description: 'An identical task is already queued or running; the ticket is for that task.' },
  } as const,
});

export const ResultStatusEnum = builder.enumType('ResultStatus', {
  description: 'Whether a task result can be read.',
  values: {
    READY: { description: 'The result is in the cache; data is set.' },
    NOT_READY: { description: 'The task is queued or running.' },
    NOT_FOUND: { description: 'No task and no result for this key (never submitted, expired, or lost by the task store; the message says which is possible).' },
    FAILED: { description: 'The task failed for good; message says why.' },
  } as const,
});
