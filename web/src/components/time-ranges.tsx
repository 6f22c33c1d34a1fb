// Time ranges on the award date: a year, a quarter of a year, or custom dates (either end
// open). Ranges are OR'ed. Nothing is checked here that the API checks: an impossible range
// is sent, and the API's BAD_USER_INPUT message is shown next to this field.
import { useEffect, useId, useState } from 'preact/hooks';
import { formatTimeRange, type TimeRange } from '../state/view.js';

type Kind = 'year' | 'quarter' | 'dates';

type Props = { ranges: TimeRange[]; onChange: (ranges: TimeRange[]) => void; error?: string; years: number[] };

function describe(range: TimeRange): string {
  if (range.from !== undefined || range.to !== undefined) return `${range.from ?? 'any date'} to ${range.to ?? 'any date'}`;
  if (range.quarter !== undefined) return `Q${range.quarter} ${range.year}`;
  return String(range.year);
}

export function TimeRangesField({ ranges, onChange, error, years }: Props) {
  const id = useId();
  const thisYear = new Date().getFullYear();
  const [kind, setKind] = useState<Kind>('year');
  const [year, setYear] = useState(String(years.at(-1) ?? thisYear));
  const [quarter, setQuarter] = useState('1');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [yearEdited, setYearEdited] = useState(false);
  // The latest year with contracts, once known, unless the person typed one.
  useEffect(() => {
    if (!yearEdited && years.length) setYear(String(years.at(-1)));
  }, [years.join(), yearEdited]);

  const add = (event: Event) => {
    event.preventDefault();
    let range: TimeRange;
    if (kind === 'dates') {
      if (!from && !to) return;
      range = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
    } else {
      const y = Number(year);
      if (!Number.isInteger(y)) return;
      range = kind === 'quarter' ? { year: y, quarter: Number(quarter) } : { year: y };
    }
    if (!ranges.some((r) => formatTimeRange(r) === formatTimeRange(range))) onChange([...ranges, range]);
  };

  const errorId = `${id}-error`;
  return (
    <fieldset class={`field time-field${error ? ' has-error' : ''}`} aria-describedby={error ? errorId : undefined}>
      <legend>Award date</legend>
      {ranges.length > 0 && (
        <ul class="chips" aria-label="Time ranges">
          {ranges.map((range) => (
            <li class="chip" key={formatTimeRange(range)}>
              <span>{describe(range)}</span>
              <button type="button" aria-label={`Remove time range ${describe(range)}`} onClick={() => onChange(ranges.filter((r) => r !== range))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="time-add" onSubmit={add}>
        <label>
          <span class="sr-only">Kind of range</span>
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
            <option value="year">Year</option>
            <option value="quarter">Quarter</option>
            <option value="dates">Dates</option>
          </select>
        </label>
        {kind !== 'dates' && (
          <label>
            <span class="sr-only">Year</span>
            <input type="number" inputMode="numeric" min="1900" max="2100" value={year} onInput={(e) => {
                setYear(e.currentTarget.value);
                setYearEdited(true);
              }} class="year-input" />
          </label>
        )}
        {kind === 'quarter' && (
          <label>
            <span class="sr-only">Quarter</span>
            <select value={quarter} onChange={(e) => setQuarter(e.currentTarget.value)}>
              {[1, 2, 3, 4].map((q) => (
                <option value={String(q)} key={q}>
                  Q{q}
                </option>
              ))}
            </select>
          </label>
        )}
        {kind === 'dates' && (
          <>
            <label>
              From <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} name="from" />
            </label>
            <label>
              To <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} name="to" />
            </label>
          </>
        )}
        <button type="submit">Add range</button>
      </form>
      {error && (
        <p id={errorId} class="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
