// The questions of bench/peer.ts: the eight of issue 10's table first, then more of the
// dashboard's everyday ones. Targets (ms, p50) are the issue's, for 5.5M contracts.
import type { AnalyticsInput, AnalyticsTableInput, SearchInput } from '../src/contracts/index.js';

export type Question =
  | { name: string; kind: 'SEARCH'; input: SearchInput; target?: number }
  | { name: string; kind: 'ANALYTICS'; input: AnalyticsInput; target?: number }
  | { name: string; kind: 'ANALYTICS_TABLE'; input: AnalyticsTableInput; target?: number };

const search = (name: string, input: SearchInput, target?: number): Question => ({ name, kind: 'SEARCH', input, target });
const analytics = (name: string, input: AnalyticsInput, target?: number): Question => ({ name, kind: 'ANALYTICS', input, target });
const table = (name: string, input: AnalyticsTableInput, target?: number): Question => ({ name, kind: 'ANALYTICS_TABLE', input, target });

export const QUESTIONS: Question[] = [
  analytics('analytics, unfiltered', { filters: {} }, 100),
  analytics('analytics, year 2023', { filters: { timeRanges: [{ year: 2023 }] } }, 100),
  table('table: contractors by value, unfiltered', { filters: {}, dimension: 'CONTRACTOR' }, 100),
  analytics('analytics, organization chip "education"', { filters: { organizations: ['education'] } }, 400),
  search('search, keyword "drugs and medicines"', { filters: { keywords: ['drugs and medicines'] } }, 400),
  search('search, keyword "road"', { filters: { keywords: ['road'] } }, 400),
  analytics('analytics, keyword "road"', { filters: { keywords: ['road'] } }, 1000),
  search('search, organization "public works" + 2023', { filters: { organizations: ['public works'], timeRanges: [{ year: 2023 }] } }, 50),
  // more of the dashboard's questions
  table('table: organizations by count, unfiltered', { filters: {}, dimension: 'ORGANIZATION', sortBy: 'COUNT' }, 100),
  analytics('analytics, 2024 Q4', { filters: { timeRanges: [{ year: 2024, quarter: 4 }] } }, 100),
  table('table: areas by value, year 2023', { filters: { timeRanges: [{ year: 2023 }] }, dimension: 'AREA' }, 100),
  table('table: contractors by avg, 2023-03-15..2024-06-10', { filters: { timeRanges: [{ from: '2023-03-15', to: '2024-06-10' }] }, dimension: 'CONTRACTOR', sortBy: 'AVG_VALUE' }, 100),
  search('search, contractor "construction" + 1M..10M', { filters: { contractors: ['construction'], minAmount: 1_000_000, maxAmount: 10_000_000 } }, 50),
  analytics('analytics, category chip "construction projects"', { filters: { businessCategories: ['construction projects'] } }, 400),
  table('table: contractors, area chip "leyte" + year 2024', { filters: { areas: ['leyte'], timeRanges: [{ year: 2024 }] }, dimension: 'CONTRACTOR' }, 400),
  search('search, keyword "flood control" + year 2024', { filters: { keywords: ['flood control'], timeRanges: [{ year: 2024 }] } }, 400),
  analytics('analytics, keyword "catering" + 2022', { filters: { keywords: ['catering'], timeRanges: [{ year: 2022 }] } }, 1000),
  // arbitrary time ranges (the in-memory month cells plus the edge days)
  analytics('analytics, range 2023-03-15..2024-06-10', { filters: { timeRanges: [{ from: '2023-03-15', to: '2024-06-10' }] } }, 100),
  table('table: contractors by count ASC, 2019-02-03..2021-11-20', { filters: { timeRanges: [{ from: '2019-02-03', to: '2021-11-20' }] }, dimension: 'CONTRACTOR', sortBy: 'COUNT', sortDirection: 'ASC' }, 100),
  table('table: organizations by value, 2020-07-09..2020-12-31 + 2022', { filters: { timeRanges: [{ from: '2020-07-09', to: '2020-12-31' }, { year: 2022 }] }, dimension: 'ORGANIZATION' }, 100),
];
