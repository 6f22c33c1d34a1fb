// Exact entities and dataset facts through the real server: entity filters in submit
// mutations (cache keys normalised like chips, but case-sensitive), in synchronous queries,
// and the `dataset` query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlData } from '../helpers/graphql.js';
import { SUBMIT, SYNC, type Ticket } from '../helpers/operations.js';
import { startStack, type Stack } from '../helpers/stack.js';

const DATASET = 'query { dataset { version updatedAt contracts importedContracts generatedContracts firstAwardDate lastAwardDate years } }';

describe('entities and dataset over GraphQL', () => {
  let stack: Stack;
  beforeAll(async () => {
    // No worker: submitted tasks stay queued, so a second identical submission is DEDUPLICATED.
    stack = await startStack('api_entities', { workers: 0, contracts: 300 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const submit = async (input: Record<string, unknown>) => (await gqlData<{ ticket: Ticket }>(stack.url, SUBMIT.SEARCH, { input })).ticket;

  describe('when the same entities are submitted in another order, with whitespace and duplicates', () => {
    it('gives the same cache key (the task is deduplicated), and a case variant another one', async () => {
      const first = await submit({ filters: { entities: [{ dimension: 'CONTRACTOR', name: 'PETRON CORPORATION' }, { dimension: 'AREA', name: 'REGION V' }] } });
      expect(first.status).toBe('QUEUED');
      const same = await submit({
        filters: {
          entities: [
            { dimension: 'AREA', name: '  REGION V ' },
            { dimension: 'CONTRACTOR', name: 'PETRON CORPORATION' },
            { dimension: 'CONTRACTOR', name: 'PETRON CORPORATION\t' },
          ],
        },
      });
      expect(same).toMatchObject({ status: 'DEDUPLICATED', cacheKey: first.cacheKey, taskId: first.taskId });
      const other = await submit({ filters: { entities: [{ dimension: 'CONTRACTOR', name: 'Petron Corporation' }, { dimension: 'AREA', name: 'REGION V' }] } });
      expect(other.status).toBe('QUEUED');
      expect(other.cacheKey).not.toBe(first.cacheKey);
      const chip = await submit({ filters: { contractors: ['PETRON CORPORATION'], areas: ['REGION V'] } });
      expect(chip.cacheKey).not.toBe(first.cacheKey);
    });
  });

  describe('when asked synchronously', () => {
    it('selects the exact name, not the names it is a prefix of', async () => {
      // 'REGION V' is a prefix of 'REGION VII'; the chip matches both, the entity one.
      const count = async (filters: Record<string, unknown>) =>
        (await gqlData<{ answer: { pagination: { totalCount: number } } }>(stack.url, SYNC.SEARCH, { input: { filters, pageSize: 1 } })).answer.pagination.totalCount;
      const analytics = (await gqlData<{ answer: { byArea: { label: string; count: number }[] } }>(stack.url, SYNC.ANALYTICS, { input: { filters: {}, topN: 100 } })).answer;
      const bucket = (label: string) => analytics.byArea.find((b) => b.label === label)!.count;
      expect(await count({ entities: [{ dimension: 'AREA', name: 'REGION V' }] })).toBe(bucket('REGION V'));
      expect(await count({ areas: ['REGION V'] })).toBe(bucket('REGION V') + bucket('REGION VII'));
      expect(await count({ entities: [{ dimension: 'AREA', name: '(unspecified)' }] })).toBe(bucket('(unspecified)'));
      expect(bucket('(unspecified)')).toBeGreaterThan(0);
    });
  });

  describe('the dataset query', () => {
    it('reports the facts of the loaded data, as SQL counts them', async () => {
      const { rows } = await stack.database.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`
        SELECT count(*)::int AS contracts, count(*) FILTER (WHERE source = 'IMPORTED')::int AS imported,
               count(*) FILTER (WHERE source = 'GENERATED')::int AS generated,
               to_char(min(award_date), 'YYYY-MM-DD') AS first, to_char(max(award_date), 'YYYY-MM-DD') AS last,
               array_agg(DISTINCT extract(year FROM award_date)::int ORDER BY extract(year FROM award_date)::int) AS years,
               (SELECT version::text FROM dataset_state) AS version
          FROM contracts`).then((r) => ({ rows: r }));
      const truth = rows[0]!;
      const { dataset } = await gqlData<{ dataset: Record<string, unknown> }>(stack.url, DATASET);
      expect(dataset).toEqual({
        version: truth.version,
        updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        contracts: 300,
        importedContracts: truth.imported,
        generatedContracts: truth.generated,
        firstAwardDate: truth.first,
        lastAwardDate: truth.last,
        years: truth.years,
      });
      expect(truth.generated).toBe(300);
      expect(dataset.years).toEqual([2019, 2020, 2021, 2022, 2023, 2024]);
    });
  });
});
