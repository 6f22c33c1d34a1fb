// Previous / next paging with the position spelled out.
import { formatCount } from '../format.js';

type Pagination = { page: number; totalPages: number; totalCount: number; hasNext: boolean; hasPrevious: boolean };

export function Pager({ pagination, onPage, label }: { pagination: Pagination; onPage: (page: number) => void; label: string }) {
  const { page, totalPages, totalCount, hasNext, hasPrevious } = pagination;
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      <button type="button" disabled={!hasPrevious} onClick={() => onPage(page - 1)}>
        ← Previous
      </button>
      <span>
        Page {formatCount(page)} of {formatCount(Math.max(totalPages, 1))} · {formatCount(totalCount)} {label.toLowerCase()}
      </span>
      <button type="button" disabled={!hasNext} onClick={() => onPage(page + 1)}>
        Next →
      </button>
    </nav>
  );
}

/** A sortable column header (aria-sort on the th, a button inside). */
export function SortHeader<F extends string>(props: {
  field: F;
  label: string;
  sortBy: F;
  direction: 'ASC' | 'DESC';
  onSort: (field: F, direction: 'ASC' | 'DESC') => void;
  numeric?: boolean;
  /** Direction of the first click on this column. */
  first?: 'ASC' | 'DESC';
}) {
  const active = props.sortBy === props.field;
  const next = active ? (props.direction === 'ASC' ? 'DESC' : 'ASC') : props.first ?? 'ASC';
  return (
    <th scope="col" aria-sort={active ? (props.direction === 'ASC' ? 'ascending' : 'descending') : 'none'} class={props.numeric ? 'num' : undefined}>
      <button type="button" onClick={() => props.onSort(props.field, next)}>
        {props.label}
        <span aria-hidden="true" class="sort-mark">{active ? (props.direction === 'ASC' ? ' ▲' : ' ▼') : ' ↕'}</span>
      </button>
    </th>
  );
}
