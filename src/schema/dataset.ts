// Dataset facts: what data a client is looking at ("data as of ..."), to show next to
// every figure. One row kept current by import and seed; reading it never scans contracts.
import { getDatasetFacts, type DatasetFacts } from '../db/dataset.js';
import { builder } from './builder.js';

export const DatasetRef = builder.objectRef<DatasetFacts>('Dataset').implement({
  description: 'The data the answers are computed from: its version, when it last changed, and what it covers.',
  fields: (t) => ({
    version: t.exposeString('version', { description: 'The data version; part of every task cache key, it changes with every import or seed.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the data last changed (import or seed).' }),
    contracts: t.exposeInt('contracts', { description: 'All contracts.' }),
    importedContracts: t.exposeInt('importedContracts', { description: 'Contracts imported from official PhilGEPS award files.' }),
    generatedContracts: t.exposeInt('generatedContracts', { description: 'Synthetic contracts loaded by db:seed.' }),
    firstAwardDate: t.expose('firstAwardDate', { type: 'Date', nullable: true, description: 'Earliest award date; null when there are no contracts.' }),
    lastAwardDate: t.expose('lastAwardDate', { type: 'Date', nullable: true, description: 'Latest award date; null when there are no contracts.' }),
    years: t.exposeIntList('years', { description: 'Every year with at least one contract, ascending.' }),
  }),
});

builder.queryField('dataset', (t) =>
  t.field({
    type: DatasetRef,
    description: 'Facts about the loaded data (version, last change, counts, award-date span), read from one row: cheap enough to show next to every figure.',
    resolve: (_root, _args, ctx) => getDatasetFacts(ctx.db),
  }),
);
