// The dashboard page: the view state lives in the URL; every change of filter submits the
// analytics and search tasks (and the table task in the table view) and follows them.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { onConnectionChange, request, type ConnectionState } from './api/client.js';
import type { DatasetQuery, Dimension } from './api/generated.js';
import { DATASET } from './api/operations.js';
import { runAnalytics, runSearch, runTable } from './api/questions.js';
import { SummaryCards, TopCharts, TrendChart, type Analytics } from './components/dashboard.js';
import { FilterPanel } from './components/filters.js';
import { ExportButton } from './components/export-button.js';
import { ContractsTable, DimensionTable, type Search, type Table } from './components/tables.js';
import { TaskStatus } from './components/task-status.js';
import { fieldMessage, fieldOf, type FieldKey } from './state/errors.js';
import { useTask } from './state/use-task.js';
import { contractFilter, DIMENSION_LABEL, DIMENSIONS, searchFromView, viewFromSearch, type ViewState } from './state/view.js';
import { formatCount, formatDate, formatInstant } from './format.js';

const TOP_N = 10;
const PAGE_SIZE = 20;

export function App() {
  const [view, setView] = useState<ViewState>(() => viewFromSearch(location.search));
  const [connection, setConnection] = useState<ConnectionState>('idle');
  const [dataset, setDataset] = useState<DatasetQuery['dataset'] | null>(null);

  useEffect(() => {
    const onPop = () => setView(viewFromSearch(location.search));
    addEventListener('popstate', onPop);
    const off = onConnectionChange(setConnection);
    return () => {
      removeEventListener('popstate', onPop);
      off();
    };
  }, []);

  const navigate = (next: ViewState) => {
    const search = searchFromView(next);
    if (search !== location.search) history.pushState(null, '', `${location.pathname}${search}`);
    setView(next);
  };

  const filter = useMemo(() => contractFilter(view), [JSON.stringify([view.filter, view.entities])]);
  const filterKey = JSON.stringify(filter);

  // "Data as of ...": read again with every new question (a few rows; it changes on import or seed).
  useEffect(() => {
    const controller = new AbortController();
    request<DatasetQuery, Record<string, never>>(DATASET, {}, controller.signal).then((data) => setDataset(data.dataset), () => {});
    return () => controller.abort();
  }, [filterKey]);

  const analytics = useTask<Analytics>(filterKey, (signal, onUpdate) => runAnalytics({ filters: filter, topN: TOP_N }, signal, onUpdate));
  const searchKey = JSON.stringify([filterKey, view.sortBy, view.sortDirection, view.page]);
  const search = useTask<Search>(searchKey, (signal, onUpdate) =>
    runSearch({ filters: filter, page: view.page, pageSize: PAGE_SIZE, sortBy: view.sortBy, sortDirection: view.sortDirection }, signal, onUpdate),
  );
  const tableKey = view.table && JSON.stringify([filterKey, view.table, view.tableSortBy, view.tableSortDirection, view.tablePage]);
  const table = useTask<Table>(tableKey, (signal, onUpdate) =>
    runTable(
      { filters: filter, dimension: view.table!, page: view.tablePage, pageSize: PAGE_SIZE, sortBy: view.tableSortBy, sortDirection: view.tableSortDirection },
      signal,
      onUpdate,
    ),
  );

  const fieldErrors: Partial<Record<FieldKey, string>> = {};
  for (const error of [analytics.error, search.error, table.error]) {
    const field = fieldOf(error);
    if (field && error) fieldErrors[field] ??= fieldMessage(error);
  }

  // Drill-down: one more exact name on the path (a new history entry, so Back returns).
  const open = (dimension: Dimension, name: string) =>
    navigate({ ...view, entities: [...view.entities, { dimension, name }], page: 1, tablePage: 1, table: null });
  const years = dataset?.years ?? analytics.data?.byYear.map((y) => Number(y.period)) ?? [];
  const entity = view.entities.at(-1);

  useEffect(() => {
    document.title = entity ? `${entity.name} · Kontrata` : 'Kontrata: follow the money in PhilGEPS contract awards';
  }, [entity?.name]);

  return (
    <>
      <header class="top-bar">
        <h1>
          <a href="/">Kontrata</a> <span class="tagline">PhilGEPS contract awards</span>
        </h1>
        {dataset && (
          <p class="dataset" data-testid="dataset">
            Data as of {formatInstant(dataset.updatedAt)} · {formatCount(dataset.contracts)} contracts
            {dataset.firstAwardDate && dataset.lastAwardDate && ` awarded ${formatDate(dataset.firstAwardDate)} – ${formatDate(dataset.lastAwardDate)}`}
          </p>
        )}
        <nav aria-label="Links">
          <a href="/graphql">GraphQL API</a>
        </nav>
      </header>
      {connection === 'reconnecting' && (
        <div class="notice notice-warn banner" role="alert" data-testid="connection-lost">
          Connection to the server lost. Reconnecting… Progress resumes where it was when the connection returns.
        </div>
      )}
      <main>
        <FilterPanel filter={view.filter} errors={fieldErrors} years={years} onChange={(f) => navigate({ ...view, filter: f, page: 1, tablePage: 1 })} />
        <div class="results">
          {entity && (
            <div class="entity-head">
              <button type="button" onClick={() => navigate({ ...view, entities: view.entities.slice(0, -1), page: 1 })}>
                ← Back
              </button>
              <h2 data-testid="entity-title">
                <span class="muted">{DIMENSION_LABEL[entity.dimension].one}:</span> {entity.name}
              </h2>
            </div>
          )}
          {view.entities.length > 0 && (
            <nav class="crumbs" aria-label="Drill-down path">
              <button type="button" class="link" onClick={() => navigate({ ...view, entities: [], page: 1 })}>
                All matching contracts
              </button>
              {view.entities.map((e, i) => (
                <span key={i}>
                  {' › '}
                  {i === view.entities.length - 1 ? (
                    <strong aria-current="page">
                      {DIMENSION_LABEL[e.dimension].one}: {e.name}
                    </strong>
                  ) : (
                    <button type="button" class="link" onClick={() => navigate({ ...view, entities: view.entities.slice(0, i + 1), page: 1 })}>
                      {DIMENSION_LABEL[e.dimension].one}: {e.name}
                    </button>
                  )}
                </span>
              ))}
            </nav>
          )}
          {fieldErrors.entities && (
            <p class="field-error" role="alert">
              {fieldErrors.entities}
            </p>
          )}
          <nav class="tabs" aria-label="Views">
            <button type="button" aria-current={view.table === null ? 'page' : undefined} onClick={() => navigate({ ...view, table: null })}>
              Dashboard
            </button>
            {DIMENSIONS.map((d) => (
              <button type="button" key={d} aria-current={view.table === d ? 'page' : undefined} onClick={() => navigate({ ...view, table: d, tablePage: 1 })}>
                {DIMENSION_LABEL[d].many} table
              </button>
            ))}
          </nav>
          {view.table === null ? (
            <>
              <TaskStatus name="Analytics" task={analytics} testId="analytics-task" hideFieldErrors />
              {analytics.data && (
                <div class={analytics.fresh ? undefined : 'stale'} aria-busy={!analytics.fresh}>
                  <SummaryCards summary={analytics.data.summary} />
                  <TrendChart analytics={analytics.data} />
                  <TopCharts analytics={analytics.data} onOpen={open} hide={view.entities.map((e) => e.dimension)} />
                </div>
              )}
              <section class="panel" aria-labelledby="contracts-title">
                <div class="panel-head">
                  <h2 id="contracts-title">Contracts</h2>
                  <ExportButton filter={filter} label="Download contracts (CSV)" testId="export-contracts" />
                </div>
                <TaskStatus name="Contracts" task={search} testId="search-task" hideFieldErrors />
                {search.data && (
                  <div class={search.fresh ? undefined : 'stale'} aria-busy={!search.fresh}>
                    <ContractsTable
                      search={search.data}
                      sortBy={view.sortBy}
                      direction={view.sortDirection}
                      onSort={(sortBy, sortDirection) => navigate({ ...view, sortBy, sortDirection, page: 1 })}
                      onPage={(page) => navigate({ ...view, page })}
                      onOpen={open}
                    />
                  </div>
                )}
              </section>
            </>
          ) : (
            <section class="panel" aria-labelledby="table-title">
              <div class="panel-head">
                <h2 id="table-title">{DIMENSION_LABEL[view.table].many}</h2>
                <ExportButton filter={filter} dimension={view.table} label={`Download ${DIMENSION_LABEL[view.table].many.toLowerCase()} (CSV)`} testId="export-table" />
              </div>
              <TaskStatus name={`${DIMENSION_LABEL[view.table].many} table`} task={table} testId="table-task" hideFieldErrors />
              {table.data && (
                <div class={table.fresh ? undefined : 'stale'} aria-busy={!table.fresh}>
                  <DimensionTable
                    table={table.data}
                    sortBy={view.tableSortBy}
                    direction={view.tableSortDirection}
                    onSort={(tableSortBy, tableSortDirection) => navigate({ ...view, tableSortBy, tableSortDirection, tablePage: 1 })}
                    onPage={(tablePage) => navigate({ ...view, tablePage })}
                    onOpen={open}
                  />
                </div>
              )}
            </section>
          )}
        </div>
      </main>
    </>
  );
}
