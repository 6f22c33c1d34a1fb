// Cached answers never outlive the data they were computed from: the API keeps the data
// version in Redis (no PostgreSQL read per submission), and an import tells it, so the first
// submission after the import, on any API instance, computes the question again.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAwardFiles } from '../../src/data/import.js';
import { getDataVersion } from '../../src/db/dataset.js';
import { connectDataVersionNotifier } from '../../src/tasks/data-version.js';
import { TEST_REDIS_URL } from '../helpers/db.js';
import { gqlData } from '../helpers/graphql.js';
import { SUBMIT, TASK_RESULT, TASK_STATUS, type Ticket } from '../helpers/operations.js';
import { startStack, type Stack } from '../helpers/stack.js';

const SAMPLE = fileURLToPath(new URL('../data/fixtures/awards-2024q4-sample.csv', import.meta.url));
const QUESTION = { input: { filters: { organizations: ['university'] }, topN: 5 } };

describe('cached answers across a data import', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('api_data_version', { apis: 2, workers: 1, contracts: 1500 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const submit = async (url: string) => (await gqlData<{ ticket: Ticket }>(url, SUBMIT.ANALYTICS, QUESTION)).ticket;
  const countOf = async (cacheKey: string) =>
    (await gqlData<{ taskResult: { data: { summary: { count: number } } } }>(stack.url, TASK_RESULT, { cacheKey })).taskResult.data.summary.count;
  const stateOf = async (taskId: string) => (await gqlData<{ taskStatus: { state: string } }>(stack.url, TASK_STATUS, { taskId })).taskStatus.state;
  const importSample = async () => {
    const dataVersion = connectDataVersionNotifier(TEST_REDIS_URL, stack.prefix);
    try {
      return await importAwardFiles(stack.database.url, [SAMPLE], { dataVersion });
    } finally {
      await dataVersion.close();
    }
  };

  describe('when a question answered before an import is asked again right after it, on either instance', () => {
    it('is QUEUED under a new cache key, and the old answer is never given as CACHED again', async () => {
      const [apiA, apiB] = stack.urls as [string, string];
      const first = await submit(apiA);
      expect(first.status).toBe('QUEUED');
      await expect.poll(() => stateOf(first.taskId), { timeout: 60_000 }).toBe('SUCCESS');
      // Both instances answer from the cache, each with the version it finds in Redis.
      expect(await submit(apiB)).toMatchObject({ status: 'CACHED', cacheKey: first.cacheKey, taskId: first.taskId });
      expect(await submit(apiA)).toMatchObject({ status: 'CACHED', cacheKey: first.cacheKey });
      // The fixture has no university; the imported sample has several.
      expect(await countOf(first.cacheKey)).toBe(0);
      const before = await getDataVersion(stack.database.prisma);

      const summary = await importSample();
      expect(summary.contractsImported).toBeGreaterThan(0);
      expect(await getDataVersion(stack.database.prisma)).not.toBe(before);

      // No waiting: the very next submission, on the other instance, sees the new version.
      const afterB = await submit(apiB);
      expect(afterB.status).toBe('QUEUED');
      expect(afterB.cacheKey).not.toBe(first.cacheKey);
      const afterA = await submit(apiA);
      expect(afterA.cacheKey).toBe(afterB.cacheKey);
      expect(afterA.taskId).toBe(afterB.taskId);
      expect(['DEDUPLICATED', 'CACHED']).toContain(afterA.status);
      await expect.poll(() => stateOf(afterB.taskId), { timeout: 60_000 }).toBe('SUCCESS');
      expect(await countOf(afterB.cacheKey)).toBeGreaterThan(0);
      expect(await submit(apiA)).toMatchObject({ status: 'CACHED', cacheKey: afterB.cacheKey });
    });
  });

  describe('when an import changes nothing (the same file again)', () => {
    it('keeps the version, and the cached answer stays CACHED on both instances', async () => {
      const [apiA, apiB] = stack.urls as [string, string];
      const cached = await submit(apiA);
      if (cached.status !== 'CACHED') await expect.poll(() => stateOf(cached.taskId), { timeout: 60_000 }).toBe('SUCCESS');
      const before = await getDataVersion(stack.database.prisma);

      const summary = await importSample();
      expect(summary.contractsImported + summary.contractsUpdated).toBe(0);
      expect(await getDataVersion(stack.database.prisma)).toBe(before);

      expect(await submit(apiB)).toMatchObject({ status: 'CACHED', cacheKey: cached.cacheKey });
      expect(await submit(apiA)).toMatchObject({ status: 'CACHED', cacheKey: cached.cacheKey });
    });
  });
});
