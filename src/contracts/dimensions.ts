// The four dimensions a user filters and groups by, and where each lives in SQL.
// Identifiers cannot be bound parameters, so they come only from this fixed table,
// never from input.
import { Prisma } from '../generated/prisma/client.js';
import type { Dimension, NormalizedFilter } from './types.js';

export type DimensionSql = {
  /** Dimension table, e.g. `contractors`. */
  table: Prisma.Sql;
  /** Foreign key column on `contracts c`, e.g. `c.contractor_id`. */
  column: Prisma.Sql;
  /** Key of NormalizedFilter holding this dimension's chips. */
  filterKey: 'contractors' | 'organizations' | 'areas' | 'businessCategories';
  /** Whether contracts may lack this dimension (only the area may be missing). */
  nullable: boolean;
  /** For people: "contractor", used in progress messages. */
  singular: string;
};

export const DIMENSION_SQL: Record<Dimension, DimensionSql> = {
  CONTRACTOR: { table: Prisma.raw('contractors'), column: Prisma.raw('c.contractor_id'), filterKey: 'contractors', nullable: false, singular: 'contractor' },
  ORGANIZATION: { table: Prisma.raw('organizations'), column: Prisma.raw('c.organization_id'), filterKey: 'organizations', nullable: false, singular: 'organization' },
  AREA: { table: Prisma.raw('areas'), column: Prisma.raw('c.area_id'), filterKey: 'areas', nullable: true, singular: 'area' },
  BUSINESS_CATEGORY: {
    table: Prisma.raw('business_categories'),
    column: Prisma.raw('c.business_category_id'),
    filterKey: 'businessCategories',
    nullable: false,
    singular: 'business category',
  },
};

/** Dimensions in a fixed order, with the chips `filter` has for each. */
export function dimensionChips(filter: NormalizedFilter): { dimension: Dimension; chips: string[][] }[] {
  return (Object.keys(DIMENSION_SQL) as Dimension[]).map((dimension) => ({ dimension, chips: filter[DIMENSION_SQL[dimension].filterKey] }));
}
