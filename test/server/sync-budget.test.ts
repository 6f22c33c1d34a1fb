// The synchronous budget around the engine: concurrency slots, one deadline that includes
// the wait for a slot, and the client's signal. The engine here is a stand-in that runs
// until its signal aborts (rejecting with CancelledError, as src/contracts/run.ts does);
// the real engine's statement cancellation is covered by test/api/abuse.test.ts.
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/errors.js';
import type { QueryEngine } from '../../src/schema/context.js';
import { createSyncBudget } from '../../src/server/sync-budget.js';
import type { RunOptions } from '../../src/contracts/types.js';

type Call = { signal: AbortSignal; finish: () => void };

/** An engine whose searchContracts runs until finished by the test or aborted. */
function standInEngine() {
  const calls: Call[] = [];
  const search = (_db: unknown, _input: unknown, opts?: RunOptions) =>
    new Promise<never>((resolve, reject) => {
      const signal = opts!.signal!;
      calls.push({ signal, finish: () => resolve({ rows: 'done' } as never) });
      signal.addEventListener('abort', () => reject(new CancelledError('Cancelled')), { once: true });
    });
  const engine = { searchContracts: search, contractAnalytics: search, analyticsTable: search, filterOptions: async () => [] } as unknown as QueryEngine;
  return { engine, calls };
}

const db = {} as never;

describe('createSyncBudget', () => {
  describe('when more questions come than there are slots', () => {
    it('runs `concurrency` at once and starts a waiting one when a slot frees', async () => {
      const { engine, calls } = standInEngine();
      const budget = createSyncBudget({ timeoutMs: 10_000, concurrency: 2 });
      const answers = ['a', 'b', 'c'].map((client) => budget.engineFor(engine, client).searchContracts(db, {} as never));
      await expect.poll(() => calls.length).toBe(2);
      expect(budget.load()).toEqual({ running: 2, waiting: 1 });
      calls[0]!.finish();
      await expect.poll(() => calls.length).toBe(3);
      calls[1]!.finish();
      calls[2]!.finish();
      await expect(Promise.all(answers)).resolves.toHaveLength(3);
      expect(budget.load()).toEqual({ running: 0, waiting: 0 });
    });
  });

  describe('when one client asks more than half of the slots', () => {
    it('runs half of them at once for that client, and another client still gets a slot', async () => {
      const { engine, calls } = standInEngine();
      const budget = createSyncBudget({ timeoutMs: 10_000, concurrency: 4 });
      const greedy = budget.engineFor(engine, 'greedy');
      const answers = [1, 2, 3, 4, 5].map(() => greedy.searchContracts(db, {} as never));
      await expect.poll(() => calls.length).toBe(2);
      const polite = budget.engineFor(engine, 'polite').searchContracts(db, {} as never);
      await expect.poll(() => calls.length).toBe(3);
      expect(budget.load()).toEqual({ running: 3, waiting: 3 });
      for (let i = 0; i < 6; i++) {
        await expect.poll(() => calls.length).toBeGreaterThan(i);
        calls[i]!.finish();
      }
      await expect(Promise.all([...answers, polite])).resolves.toHaveLength(6);
      expect(budget.load()).toEqual({ running: 0, waiting: 0 });
    });
  });

  describe('when a question outlives SYNC_TIMEOUT_MS', () => {
    it('aborts it and answers QUERY_TIMEOUT naming the submit mutation; a waiting question times out too (its wait counts)', async () => {
      const { engine, calls } = standInEngine();
      const budget = createSyncBudget({ timeoutMs: 100, concurrency: 1 });
      const e = budget.engineFor(engine, 'client-a');
      const running = e.analyticsTable(db, {} as never);
      const waiting = e.searchContracts(db, {} as never);
      await expect(running).rejects.toMatchObject({ code: 'QUERY_TIMEOUT', message: expect.stringContaining('submitAnalyticsTable') });
      await expect(waiting).rejects.toMatchObject({ code: 'QUERY_TIMEOUT', message: expect.stringContaining('submitSearch') });
      // The waiting one may get the freed slot just before its own deadline; either way nothing is left running.
      expect(calls.length).toBeGreaterThanOrEqual(1);
      expect(calls.every((c) => c.signal.aborted)).toBe(true);
      expect(budget.load()).toEqual({ running: 0, waiting: 0 });
    });
  });

  describe('when the client goes away', () => {
    it('aborts its running question and frees the slot', async () => {
      const { engine, calls } = standInEngine();
      const budget = createSyncBudget({ timeoutMs: 10_000, concurrency: 1 });
      const client = new AbortController();
      const answer = budget.engineFor(engine, 'client-a', client.signal).contractAnalytics(db, {} as never);
      await expect.poll(() => calls.length).toBe(1);
      client.abort();
      await expect(answer).rejects.toMatchObject({ code: 'CLIENT_CLOSED_REQUEST' });
      expect(calls[0]!.signal.aborted).toBe(true);
      expect(budget.load()).toEqual({ running: 0, waiting: 0 });
    });
  });
});
