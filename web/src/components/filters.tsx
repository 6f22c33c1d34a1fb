// The filter panel: one chip field per dimension and for keywords, time ranges, amounts.
// Every change is a new URL (and so a new question).
import type { FieldKey } from '../state/errors.js';
import { CHIP_DIMENSION, type ChipKey, type Filter } from '../state/view.js';
import { AmountField } from './amount-range.js';
import { ChipField } from './chip-field.js';
import { TimeRangesField } from './time-ranges.js';

const FIELDS: { key: ChipKey; label: string; placeholder: string }[] = [
  { key: 'keywords', label: 'Keywords', placeholder: 'e.g. flood control' },
  { key: 'contractors', label: 'Contractors', placeholder: 'e.g. petron' },
  { key: 'organizations', label: 'Organizations', placeholder: 'e.g. dpwh' },
  { key: 'areas', label: 'Areas', placeholder: 'e.g. region v' },
  { key: 'businessCategories', label: 'Categories', placeholder: 'e.g. construction' },
];

type Props = {
  filter: Filter;
  onChange: (filter: Filter) => void;
  errors: Partial<Record<FieldKey, string>>;
  years: number[];
};

export function FilterPanel({ filter, onChange, errors, years }: Props) {
  const active = Object.values(filter.chips).some((c) => c.length) || filter.timeRanges.length > 0 || filter.minAmount !== undefined || filter.maxAmount !== undefined;
  return (
    <section class="filters" aria-labelledby="filters-title">
      <div class="panel-head">
        <h2 id="filters-title">Filters</h2>
        {active && (
          <button type="button" class="link" onClick={() => onChange({ chips: { contractors: [], organizations: [], areas: [], businessCategories: [], keywords: [] }, timeRanges: [] })}>
            Clear all
          </button>
        )}
      </div>
      <p id="chip-help" class="help">
        A chip matches any part of a name or title, in any case: <code>petron</code> finds PETRON CORPORATION. Inside one chip,{' '}
        <code>&amp;&amp;</code> means every part must match: <code>road &amp;&amp; concreting</code>. Chips in one box are alternatives (or); boxes
        narrow each other down (and).
      </p>
      <div class="filter-grid">
        {FIELDS.map(({ key, label, placeholder }) => (
          <ChipField
            key={key}
            label={label}
            dimension={CHIP_DIMENSION[key]}
            chips={filter.chips[key]}
            placeholder={placeholder}
            helpId="chip-help"
            error={errors[key]}
            onChange={(chips) => onChange({ ...filter, chips: { ...filter.chips, [key]: chips } })}
          />
        ))}
        <TimeRangesField ranges={filter.timeRanges} years={years} error={errors.timeRanges} onChange={(timeRanges) => onChange({ ...filter, timeRanges })} />
        <AmountField
          min={filter.minAmount}
          max={filter.maxAmount}
          error={errors.amount}
          onChange={(minAmount, maxAmount) => onChange({ ...filter, minAmount, maxAmount })}
        />
      </div>
    </section>
  );
}
