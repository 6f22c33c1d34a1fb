// The analytics answer: summary cards, the trend by year or month, and the top-N bar chart
// of each dimension. A bar (or its entry in the list under the chart) opens that entity.
import type { ChartConfiguration } from 'chart.js';
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { AnalyticsResultQuery, Dimension } from '../api/generated.js';
import { formatCount, formatDate, formatPeso, formatPesoCompact } from '../format.js';
import { DIMENSION_LABEL } from '../state/view.js';
import { BarChart } from './chart.js';

export type Analytics = Exclude<NonNullable<AnalyticsResultQuery['taskResult']['data']>, Record<PropertyKey, never>>;
type Bucket = Analytics['byContractor'][number];

const BAR = '#1d4ed8';
const TREND = '#0f766e';

function Card({ label, value, testId }: { label: string; value: ComponentChildren; testId?: string }) {
  return (
    <div class="card">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

export function SummaryCards({ summary }: { summary: Analytics['summary'] }) {
  const { firstAwardDate: first, lastAwardDate: last } = summary;
  return (
    <dl class="cards" aria-label="Summary">
      <Card label="Contracts" value={formatCount(summary.count)} testId="summary-count" />
      <Card label="Total value" value={formatPeso(summary.totalValue)} testId="summary-total" />
      <Card label="Average value" value={formatPeso(summary.avgValue)} testId="summary-average" />
      <Card
        label="Awarded"
        value={
          first && last ? (
            <span class="dates">
              <span data-testid="summary-first">{formatDate(first)}</span> – <span data-testid="summary-last">{formatDate(last)}</span>
            </span>
          ) : (
            '—'
          )
        }
      />
    </dl>
  );
}

export function TrendChart({ analytics }: { analytics: Analytics }) {
  const [by, setBy] = useState<'year' | 'month'>('year');
  const periods = by === 'year' ? analytics.byYear : analytics.byMonth;
  const config = useMemo<ChartConfiguration<'bar'>>(
    () => ({
      type: 'bar',
      data: {
        labels: periods.map((p) => p.period),
        datasets: [{ label: 'Total value', data: periods.map((p) => p.totalValue), backgroundColor: TREND }],
      },
      options: {
        scales: { y: { ticks: { callback: (v) => formatPesoCompact(Number(v)) } } },
        plugins: {
          tooltip: {
            callbacks: {
              label: (item) => `${formatPeso(item.parsed.y ?? 0)} · ${formatCount(periods[item.dataIndex]?.count ?? 0)} contracts`,
            },
          },
        },
      },
    }),
    [periods],
  );
  const first = periods[0]?.period;
  const last = periods.at(-1)?.period;
  return (
    <section class="panel trend" aria-labelledby="trend-title">
      <div class="panel-head">
        <h2 id="trend-title">Trend</h2>
        <div role="radiogroup" aria-label="Trend period" class="toggle">
          {(['year', 'month'] as const).map((value) => (
            <button type="button" role="radio" aria-checked={by === value} key={value} onClick={() => setBy(value)}>
              By {value}
            </button>
          ))}
        </div>
      </div>
      {periods.length ? (
        <BarChart config={config} height={240} label={`Total contract value by ${by}, ${first} to ${last}`} testId={`trend-${by}`} />
      ) : (
        <p class="empty">No contracts match.</p>
      )}
      <details>
        <summary>Values by {by}</summary>
        <table class="mini">
          <thead>
            <tr>
              <th scope="col">{by === 'year' ? 'Year' : 'Month'}</th>
              <th scope="col" class="num">Contracts</th>
              <th scope="col" class="num">Total value</th>
            </tr>
          </thead>
          <tbody>
            {periods.map((p) => (
              <tr key={p.period}>
                <td>{p.period}</td>
                <td class="num">{formatCount(p.count)}</td>
                <td class="num">{formatPeso(p.totalValue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

const TOP: { key: 'byContractor' | 'byOrganization' | 'byArea' | 'byCategory'; dimension: Dimension }[] = [
  { key: 'byContractor', dimension: 'CONTRACTOR' },
  { key: 'byOrganization', dimension: 'ORGANIZATION' },
  { key: 'byArea', dimension: 'AREA' },
  { key: 'byCategory', dimension: 'BUSINESS_CATEGORY' },
];

function TopChart({ dimension, buckets, onOpen }: { dimension: Dimension; buckets: Bucket[]; onOpen?: (name: string) => void }) {
  const name = DIMENSION_LABEL[dimension].many;
  const config = useMemo<ChartConfiguration<'bar'>>(
    () => ({
      type: 'bar',
      data: {
        labels: buckets.map((b) => (b.label.length > 28 ? `${b.label.slice(0, 27)}…` : b.label)),
        datasets: [{ label: 'Total value', data: buckets.map((b) => b.totalValue), backgroundColor: BAR }],
      },
      options: {
        indexAxis: 'y',
        scales: { x: { ticks: { callback: (v) => formatPesoCompact(Number(v)), maxTicksLimit: 5 } }, y: { ticks: { autoSkip: false, font: { size: 11 } } } },
        plugins: {
          tooltip: {
            callbacks: {
              title: (items) => buckets[items[0]?.dataIndex ?? 0]?.label ?? '',
              label: (item) => {
                const b = buckets[item.dataIndex];
                return b ? [`Total ${formatPeso(b.totalValue)}`, `${formatCount(b.count)} contracts, average ${formatPeso(b.avgValue)}`] : '';
              },
            },
          },
        },
      },
    }),
    [buckets],
  );
  const id = `top-${dimension.toLowerCase()}`;
  return (
    <section class="panel top" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Top {name.toLowerCase()} by value</h2>
      {buckets.length ? (
        <BarChart
          config={config}
          height={Math.max(120, 28 * buckets.length + 40)}
          label={`Top ${buckets.length} ${name.toLowerCase()} by total contract value; the largest is ${buckets[0]!.label}`}
          onBarClick={onOpen && ((i) => buckets[i] && onOpen(buckets[i].label))}
          testId={id}
        />
      ) : (
        <p class="empty">No contracts match.</p>
      )}
      <details>
        <summary>List{onOpen ? ' (open one)' : ''}</summary>
        <ol class="top-list">
          {buckets.map((b) => (
            <li key={b.label}>
              {onOpen ? (
                <button type="button" class="link" onClick={() => onOpen(b.label)}>
                  {b.label}
                </button>
              ) : (
                <span>{b.label}</span>
              )}{' '}
              <span class="muted">
                {formatPeso(b.totalValue)} · {formatCount(b.count)}
              </span>
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}

/** The top-N charts; `hide` leaves out dimensions already narrowed to one name (drill-down). */
export function TopCharts({ analytics, onOpen, hide = [] }: { analytics: Analytics; onOpen?: (dimension: Dimension, name: string) => void; hide?: Dimension[] }) {
  return (
    <div class="tops">
      {TOP.filter(({ dimension }) => !hide.includes(dimension)).map(({ key, dimension }) => (
        <TopChart key={key} dimension={dimension} buckets={analytics[key]} onOpen={onOpen && ((name) => onOpen(dimension, name))} />
      ))}
    </div>
  );
}
