// The contracts table (a page of submitSearch) and the table view of one dimension (a page
// of submitAnalyticsTable). Every column sorts; names open that entity when drill-down is on.
import type { AggregateSortField, AnalyticsTableResultQuery, ContractSortField, Dimension, SearchResultQuery, SortDirection } from '../api/generated.js';
import { formatCount, formatDate, formatPeso } from '../format.js';
import { DIMENSION_LABEL } from '../state/view.js';
import { Pager, SortHeader } from './pager.js';

export type Search = Exclude<NonNullable<SearchResultQuery['taskResult']['data']>, Record<PropertyKey, never>>;
export type Table = Exclude<NonNullable<AnalyticsTableResultQuery['taskResult']['data']>, Record<PropertyKey, never>>;

type Open = (dimension: Dimension, name: string) => void;

function Name({ dimension, name, onOpen }: { dimension: Dimension; name: string | null; onOpen?: Open }) {
  if (name === null) return <span class="muted">—</span>;
  if (!onOpen) return <>{name}</>;
  return (
    <button type="button" class="link" onClick={() => onOpen(dimension, name)} aria-label={`Open ${DIMENSION_LABEL[dimension].one.toLowerCase()} ${name}`}>
      {name}
    </button>
  );
}

/** What a sortable, paged table of the dashboard takes besides its data; `F` is its sort field. */
type SortablePagedProps<F> = {
  sortBy: F;
  direction: SortDirection;
  onSort: (field: F, direction: SortDirection) => void;
  onPage: (page: number) => void;
  onOpen?: Open;
};

type ContractsProps = SortablePagedProps<ContractSortField> & { search: Search };

export function ContractsTable({ search, sortBy, direction, onSort, onPage, onOpen }: ContractsProps) {
  const header = (field: ContractSortField, label: string, numeric = false) => (
    <SortHeader field={field} label={label} sortBy={sortBy} direction={direction} onSort={onSort} numeric={numeric} first={numeric || field === 'AWARD_DATE' ? 'DESC' : 'ASC'} />
  );
  return (
    <>
      <div class="table-wrap" tabIndex={0} role="region" aria-label="Contracts table, scrolls sideways on small screens">
        <table class="data" data-testid="contracts-table">
          <caption class="sr-only">Matching contracts, sorted by {sortBy.toLowerCase().replace('_', ' ')} {direction === 'ASC' ? 'ascending' : 'descending'}</caption>
          <thead>
            <tr>
              {header('AWARD_DATE', 'Award date')}
              {header('AWARD_TITLE', 'Title and reference')}
              {header('CONTRACTOR', 'Contractor')}
              {header('ORGANIZATION', 'Organization')}
              <th scope="col">Area</th>
              {header('AMOUNT', 'Amount', true)}
            </tr>
          </thead>
          <tbody>
            {search.contracts.map((c) => (
              <tr key={c.id}>
                <td class="nowrap">{formatDate(c.awardDate)}</td>
                <td class="title">
                  {c.awardTitle}
                  <span class="ref">{c.referenceId}</span>
                </td>
                <td>
                  <Name dimension="CONTRACTOR" name={c.contractor} onOpen={onOpen} />
                </td>
                <td>
                  <Name dimension="ORGANIZATION" name={c.organization} onOpen={onOpen} />
                </td>
                <td>
                  <Name dimension="AREA" name={c.area} onOpen={onOpen} />
                </td>
                <td class="num nowrap">{c.amount === null ? <span class="muted">not published</span> : formatPeso(c.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {search.contracts.length === 0 && <p class="empty">No contracts match.</p>}
      <Pager pagination={search.pagination} onPage={onPage} label="Contracts" />
    </>
  );
}

type TableProps = SortablePagedProps<AggregateSortField> & { table: Table };

export function DimensionTable({ table, sortBy, direction, onSort, onPage, onOpen }: TableProps) {
  const { one, many } = DIMENSION_LABEL[table.dimension];
  const header = (field: AggregateSortField, label: string, numeric = true) => (
    <SortHeader field={field} label={label} sortBy={sortBy} direction={direction} onSort={onSort} numeric={numeric} first={numeric ? 'DESC' : 'ASC'} />
  );
  return (
    <>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={`${many} table`}>
        <table class="data" data-testid="dimension-table">
          <caption class="sr-only">{many} of the matching contracts</caption>
          <thead>
            <tr>
              {header('LABEL', one, false)}
              {header('COUNT', 'Contracts')}
              {header('TOTAL_VALUE', 'Total value')}
              {header('AVG_VALUE', 'Average value')}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={row.label}>
                <td>
                  <Name dimension={table.dimension} name={row.label} onOpen={onOpen} />
                </td>
                <td class="num">{formatCount(row.count)}</td>
                <td class="num nowrap">{formatPeso(row.totalValue)}</td>
                <td class="num nowrap">{formatPeso(row.avgValue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {table.rows.length === 0 && <p class="empty">No contracts match.</p>}
      <Pager pagination={table.pagination} onPage={onPage} label={many} />
    </>
  );
}
