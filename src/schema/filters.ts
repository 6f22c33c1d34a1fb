// The filter every search, analytics and table operation shares. Only shapes here:
// the rules (ranges, limits, chip syntax) are the query engine's normalize*, so the
// synchronous queries and the task submissions validate identically.
import { builder } from './builder.js';
import { DimensionEnum } from './enums.js';

const chips = (what: string) =>
  `${what}. Each chip matches case-insensitively as a substring; "a && b" in one chip needs both parts. ` +
  'Chips are OR\'ed; at most 50 chips of at most 200 characters; empty or missing does not filter.';

export const TimeRangeInput = builder.inputType('TimeRangeInput', {
  description:
    'A period of award dates, in exactly one form: { year } a calendar year; { year, quarter } quarter 1..4 of that year; ' +
    '{ from, to } inclusive dates where either end may be omitted.',
  fields: (t) => ({
    year: t.int({ required: false, description: 'Calendar year, alone or with quarter.' }),
    quarter: t.int({ required: false, description: 'Quarter 1..4 of year (needs year).' }),
    from: t.field({ type: 'Date', required: false, description: 'First award date included (open when omitted).' }),
    to: t.field({ type: 'Date', required: false, description: 'Last award date included (open when omitted); not before from.' }),
  }),
});

export const EntityInput = builder.inputType('EntityInput', {
  description:
    'One contractor, organization, area or category by its exact name (drill-down from a chart bar or a table row).',
  fields: (t) => ({
    dimension: t.field({ type: DimensionEnum, required: true, description: 'Which dimension the name belongs to.' }),
    name: t.string({
      required: true,
      description:
        'The exact name as results and filterOptions spell it (case-sensitive; surrounding whitespace is ignored), ' +
        'at most 300 characters. The AREA name "(unspecified)" selects the contracts without an area.',
    }),
  }),
});

export const ContractFilterInput = builder.inputType('ContractFilter', {
  description: 'Which contracts a question is about. Dimensions are AND\'ed; an empty filter selects every contract.',
  fields: (t) => ({
    contractors: t.stringList({ required: false, description: chips('Awardee names') }),
    organizations: t.stringList({ required: false, description: chips('Procuring entity names') }),
    areas: t.stringList({ required: false, description: chips('Areas of delivery (a missing area matches no chip)') }),
    businessCategories: t.stringList({ required: false, description: chips('Business categories') }),
    keywords: t.stringList({ required: false, description: chips('Words in the award title or the notice title') }),
    timeRanges: t.field({
      type: [TimeRangeInput],
      required: false,
      description: 'Award date periods, OR\'ed; empty or missing does not filter.',
    }),
    minAmount: t.float({ required: false, description: 'Smallest contract amount in pesos, inclusive, not negative; excludes contracts without an amount.' }),
    maxAmount: t.float({ required: false, description: 'Largest contract amount in pesos, inclusive, not below minAmount; excludes contracts without an amount.' }),
    entities: t.field({
      type: [EntityInput],
      required: false,
      description:
        'Exact names, not substrings: a contract matches when the name of its dimension equals one of them. Entities of one ' +
        'dimension are OR\'ed and AND\'ed with everything else (chips of that dimension included); at most 50; empty or missing does not filter.',
    }),
  }),
});
