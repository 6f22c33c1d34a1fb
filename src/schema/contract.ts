// Contract search: the Contract and Pagination types, SearchInput, and the synchronous
// searchContracts query (the same engine call the SEARCH task runs).
import type { Contract, Pagination, SearchResult } from '../contracts/types.js';
import { builder } from './builder.js';
import { ContractSortFieldEnum, SortDirectionEnum } from './enums.js';
import { ContractFilterInput } from './filters.js';

export const PaginationRef = builder.objectRef<Pagination>('Pagination').implement({
  description: 'Where a page sits in the whole answer.',
  fields: (t) => ({
    page: t.exposeInt('page', { description: 'This page, from 1.' }),
    pageSize: t.exposeInt('pageSize', { description: 'Rows per page.' }),
    totalCount: t.exposeInt('totalCount', { description: 'Rows over all pages.' }),
    totalPages: t.exposeInt('totalPages', { description: 'Number of pages (0 when there are no rows).' }),
    hasNext: t.exposeBoolean('hasNext', { description: 'Whether a later page has rows.' }),
    hasPrevious: t.exposeBoolean('hasPrevious', { description: 'Whether this is not the first page.' }),
  }),
});

export const ContractRef = builder.objectRef<Contract>('Contract').implement({
  description: 'One PhilGEPS contract award.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Kontrata\'s id of the award.' }),
    referenceId: t.exposeString('referenceId', { description: 'PhilGEPS award reference number.' }),
    awardTitle: t.exposeString('awardTitle', { description: 'Title of the award.' }),
    noticeTitle: t.exposeString('noticeTitle', { nullable: true, description: 'Title of the bid notice, where published.' }),
    contractor: t.exposeString('contractor', { description: 'The awardee.' }),
    organization: t.exposeString('organization', { description: 'The procuring entity.' }),
    area: t.exposeString('area', { nullable: true, description: 'Area of delivery, where published.' }),
    businessCategory: t.exposeString('businessCategory', { description: 'PhilGEPS business category.' }),
    procurementMode: t.exposeString('procurementMode', { nullable: true, description: 'Mode of procurement (e.g. "Public Bidding"), where published.' }),
    amount: t.exposeFloat('amount', { nullable: true, description: 'Contract amount in pesos; null where PhilGEPS published none.' }),
    approvedBudget: t.exposeFloat('approvedBudget', { nullable: true, description: 'Approved budget for the contract (ABC) in pesos, where published.' }),
    awardDate: t.expose('awardDate', { type: 'Date', description: 'Date of award.' }),
  }),
});

export const SearchResultRef = builder.objectRef<SearchResult>('SearchResult').implement({
  description: 'One page of contracts matching a search.',
  fields: (t) => ({
    contracts: t.expose('contracts', { type: [ContractRef], description: 'The contracts of this page, in the requested order.' }),
    pagination: t.expose('pagination', { type: PaginationRef, description: 'Where this page sits in the whole answer.' }),
  }),
});

export const SearchInputRef = builder.inputType('SearchInput', {
  description: 'A contract search: a filter, a page and an order.',
  fields: (t) => ({
    filters: t.field({ type: ContractFilterInput, required: true, description: 'Which contracts.' }),
    page: t.int({ defaultValue: 1, description: 'Page number, from 1.' }),
    pageSize: t.int({ defaultValue: 20, description: 'Contracts per page, 1..500.' }),
    sortBy: t.field({ type: ContractSortFieldEnum, defaultValue: 'AWARD_DATE', description: 'Sort key; ties are broken by referenceId ascending.' }),
    sortDirection: t.field({ type: SortDirectionEnum, defaultValue: 'DESC', description: 'Sort direction.' }),
  }),
});

builder.queryField('searchContracts', (t) =>
  t.field({
    type: SearchResultRef,
    description: 'Searches contracts synchronously. For large questions prefer submitSearch, which runs as a task and is cached.',
    args: { input: t.arg({ type: SearchInputRef, required: true, description: 'The search.' }) },
    resolve: (_root, { input }, ctx) => ctx.engine.searchContracts(ctx.db, input),
  }),
);
