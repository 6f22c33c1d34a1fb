// The real per-entity files the generator draws from, and their compressed copies in this directory.

export type ReferenceKind = 'contractors' | 'organizations' | 'areas' | 'categories';

/** Source file name (in ../shared/data/philgeps) and compressed copy (in src/data/reference) per dimension. */
export const REFERENCE_FILES: Record<ReferenceKind, { source: string; compressed: string }> = {
  contractors: { source: 'contractors.csv', compressed: 'contractors.csv.gz' },
  organizations: { source: 'organizations.csv', compressed: 'organizations.csv.gz' },
  areas: { source: 'areas.csv', compressed: 'areas.csv.gz' },
  categories: { source: 'business-categories.csv', compressed: 'business-categories.csv.gz' },
};
