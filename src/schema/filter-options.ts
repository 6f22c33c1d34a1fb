// Autocomplete for filter chips.
import type { FilterOption } from '../contracts/types.js';
import { builder } from './builder.js';
import { DimensionEnum } from './enums.js';

export const FilterOptionRef = builder.objectRef<FilterOption>('FilterOption').implement({
  description: 'A name to offer as a filter chip.',
  fields: (t) => ({
    dimension: t.expose('dimension', { type: DimensionEnum, description: 'The dimension the name belongs to.' }),
    label: t.exposeString('label', { description: 'The name, as published.' }),
    count: t.exposeInt('count', { description: 'Contracts with this name (how busy it is).' }),
  }),
});

builder.queryField('filterOptions', (t) =>
  t.field({
    type: [FilterOptionRef],
    description: 'Names of a dimension containing `search` (case-insensitive), busiest first: autocomplete for filter chips.',
    args: {
      dimension: t.arg({ type: DimensionEnum, required: true, description: 'Which names.' }),
      search: t.arg.string({ description: 'Text the names must contain (at most 200 characters); omitted = the busiest names.' }),
      limit: t.arg.int({ defaultValue: 20, description: 'How many names, 1..100.' }),
    },
    // The engine's input is the arguments themselves, so its field names ('limit', 'search') are already API paths.
    resolve: (_root, args, ctx) => ctx.engine.filterOptions(ctx.db, args),
  }),
);
