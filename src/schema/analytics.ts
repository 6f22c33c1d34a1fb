// Analytics: the dashboard charts (contractAnalytics) and the paged aggregate table
// (analyticsTable), with their inputs and the synchronous queries.
import type { AggregateRow, AnalyticsResult, AnalyticsTableResult, Bucket, PeriodBucket, Summary } from '../contracts/types.js';
import { builder } from './builder.js';
import { PaginationRef } from './contract.js';
import { AggregateSortFieldEnum, DimensionEnum, SortDirectionEnum } from './enums.js';
import { ContractFilterInput } from './filters.js';

const COUNT = 'Matching contracts, with or without an amount.';
const TOTAL = 'Sum of the known contract amounts, in pesos.';
const AVG = 'totalValue divided by the number of contracts with a known amount (0 when none has one).';

export const SummaryRef = builder.objectRef<Summary>('Summary').implement({
  description: 'Totals over every matching contract.',
  fields: (t) => ({
    count: t.exposeInt('count', { description: COUNT }),
    totalValue: t.exposeFloat('totalValue', { description: TOTAL }),
    avgValue: t.exposeFloat('avgValue', { description: AVG }),
    firstAwardDate: t.expose('firstAwardDate', {
      type: 'Date',
      nullable: true,
      description: 'Earliest award date of the matching contracts; null when none match.',
    }),
    lastAwardDate: t.expose('lastAwardDate', {
      type: 'Date',
      nullable: true,
      description: 'Latest award date of the matching contracts; null when none match.',
    }),
  }),
});

export const BucketRef = builder.objectRef<Bucket>('Bucket').implement({
  description: 'One bar of a top-N chart: a contractor, organization, area or category.',
  fields: (t) => ({
    label: t.exposeString('label', {
      description:
        'The name; contracts without an area are under "(unspecified)". Adding it to a filter as an entity of this dimension selects exactly this bar\'s contracts.',
    }),
    count: t.exposeInt('count', { description: COUNT }),
    totalValue: t.exposeFloat('totalValue', { description: TOTAL }),
    avgValue: t.exposeFloat('avgValue', { description: AVG }),
  }),
});

export const PeriodBucketRef = builder.objectRef<PeriodBucket>('PeriodBucket').implement({
  description: 'Contracts awarded in one year or one month.',
  fields: (t) => ({
    period: t.exposeString('period', { description: '"2023" for a year, "2023-04" for a month.' }),
    count: t.exposeInt('count', { description: COUNT }),
    totalValue: t.exposeFloat('totalValue', { description: TOTAL }),
  }),
});

export const AnalyticsResultRef = builder.objectRef<AnalyticsResult>('AnalyticsResult').implement({
  description: 'Dashboard analytics of the contracts matching a filter.',
  fields: (t) => ({
    summary: t.expose('summary', { type: SummaryRef, description: 'Totals over all matching contracts.' }),
    byYear: t.expose('byYear', { type: [PeriodBucketRef], description: 'Every year with matching contracts, ascending.' }),
    byMonth: t.expose('byMonth', { type: [PeriodBucketRef], description: 'Every month with matching contracts, ascending.' }),
    byContractor: t.expose('byContractor', { type: [BucketRef], description: 'Top N contractors by total value, descending (ties by label).' }),
    byOrganization: t.expose('byOrganization', { type: [BucketRef], description: 'Top N procuring entities by total value, descending (ties by label).' }),
    byArea: t.expose('byArea', { type: [BucketRef], description: 'Top N areas by total value, descending (ties by label).' }),
    byCategory: t.expose('byCategory', { type: [BucketRef], description: 'Top N business categories by total value, descending (ties by label).' }),
  }),
});

export const AggregateRowRef = builder.objectRef<AggregateRow>('AggregateRow').implement({
  description: 'One group of an aggregate table.',
  fields: (t) => ({
    label: t.exposeString('label', { description: 'The group\'s name; contracts without an area are under "(unspecified)".' }),
    count: t.exposeInt('count', { description: COUNT }),
    totalValue: t.exposeFloat('totalValue', { description: TOTAL }),
    avgValue: t.exposeFloat('avgValue', { description: AVG }),
  }),
});

export const AnalyticsTableResultRef = builder.objectRef<AnalyticsTableResult>('AnalyticsTableResult').implement({
  description: 'One page of the contracts matching a filter, grouped by a dimension.',
  fields: (t) => ({
    dimension: t.expose('dimension', { type: DimensionEnum, description: 'What the rows are grouped by.' }),
    rows: t.expose('rows', { type: [AggregateRowRef], description: 'The groups of this page, in the requested order.' }),
    pagination: t.expose('pagination', { type: PaginationRef, description: 'Where this page sits among all groups.' }),
  }),
});

export const AnalyticsInputRef = builder.inputType('AnalyticsInput', {
  description: 'Dashboard analytics of the contracts matching a filter.',
  fields: (t) => ({
    filters: t.field({ type: ContractFilterInput, required: true, description: 'Which contracts.' }),
    topN: t.int({ defaultValue: 10, description: 'Rows per top-N chart, 1..100.' }),
  }),
});

export const AnalyticsTableInputRef = builder.inputType('AnalyticsTableInput', {
  description: 'A paged aggregate table of the contracts matching a filter.',
  fields: (t) => ({
    filters: t.field({ type: ContractFilterInput, required: true, description: 'Which contracts.' }),
    dimension: t.field({ type: DimensionEnum, required: true, description: 'What to group by.' }),
    page: t.int({ defaultValue: 1, description: 'Page number, from 1.' }),
    pageSize: t.int({ defaultValue: 20, description: 'Rows per page, 1..500.' }),
    sortBy: t.field({ type: AggregateSortFieldEnum, defaultValue: 'TOTAL_VALUE', description: 'Sort key; ties are broken by label ascending.' }),
    sortDirection: t.field({ type: SortDirectionEnum, defaultValue: 'DESC', description: 'Sort direction.' }),
  }),
});

builder.queryFields((t) => ({
  contractAnalytics: t.field({
    type: AnalyticsResultRef,
    description: 'Computes dashboard analytics synchronously. For large questions prefer submitAnalytics.',
    args: { input: t.arg({ type: AnalyticsInputRef, required: true, description: 'The question.' }) },
    resolve: (_root, { input }, ctx) => ctx.engine.contractAnalytics(ctx.db, input),
  }),
  analyticsTable: t.field({
    type: AnalyticsTableResultRef,
    description: 'Computes one page of an aggregate table synchronously. For large questions prefer submitAnalyticsTable.',
    args: { input: t.arg({ type: AnalyticsTableInputRef, required: true, description: 'The question.' }) },
    resolve: (_root, { input }, ctx) => ctx.engine.analyticsTable(ctx.db, input),
  }),
}));
