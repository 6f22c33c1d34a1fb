import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { printSchemaText } from '../../src/schema/print.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

/** Every place a description belongs, with the ones missing. */
function missingDescriptions(): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (!type.description?.trim()) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!arg.description?.trim()) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) if (!value.description?.trim()) missing.push(`${type.name}.${value.name}`);
    }
  }
  return missing;
}

describe('schema.graphql', () => {
  it('equals the schema printed from the code (run `npm run schema:print` after changing the schema)', async () => {
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    expect(committed).toBe(printSchemaText());
  });

  it('has a description on every type, field, argument and enum value', () => {
    expect(missingDescriptions()).toEqual([]);
  });
});

describe('schema', () => {
  // Spot checks of API.md's exact signatures (names, nullability, defaults); the full text is schema.graphql.
  it.each([
    ['Query', 'taskStatus', 'Task', ['taskId: ID!']],
    ['Query', 'taskResult', 'TaskResult!', ['cacheKey: String!']],
    ['Query', 'searchContracts', 'SearchResult!', ['input: SearchInput!']],
    ['Query', 'contractAnalytics', 'AnalyticsResult!', ['input: AnalyticsInput!']],
    ['Query', 'analyticsTable', 'AnalyticsTableResult!', ['input: AnalyticsTableInput!']],
    ['Query', 'filterOptions', '[FilterOption!]!', ['dimension: Dimension!', 'search: String', 'limit: Int = 20']],
    ['Mutation', 'submitSearch', 'TaskTicket!', ['input: SearchInput!']],
    ['Mutation', 'submitAnalytics', 'TaskTicket!', ['input: AnalyticsInput!']],
    ['Mutation', 'submitAnalyticsTable', 'TaskTicket!', ['input: AnalyticsTableInput!']],
    ['Mutation', 'submitExport', 'TaskTicket!', ['input: ExportInput!']],
    ['Subscription', 'taskProgress', 'TaskEvent!', ['taskId: ID!']],
  ])('%s.%s returns %s', (typeName, fieldName, returnType, args) => {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
    const field = type.getFields()[fieldName]!;
    expect(String(field.type)).toBe(returnType);
    const printed = field.args.map((a) => `${a.name}: ${String(a.type)}${a.defaultValue !== undefined ? ` = ${a.defaultValue}` : ''}`);
    expect(printed.sort()).toEqual([...args].sort());
  });

  it('has the input defaults of API.md', () => {
    const text = printSchemaText();
    for (const line of ['page: Int = 1', 'pageSize: Int = 20', 'sortBy: ContractSortField = AWARD_DATE', 'sortDirection: SortDirection = DESC',
      'topN: Int = 10', 'sortBy: AggregateSortField = TOTAL_VALUE', 'union TaskResultData = AnalyticsResult | AnalyticsTableResult | ExportResult | SearchResult']) {
      expect(text).toContain(line);
    }
  });
});
