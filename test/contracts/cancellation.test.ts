// Cancellation is shown with a statement that cannot finish on its own: another session
// holds an ACCESS EXCLUSIVE lock on contracts, so the engine's statement waits for the lock
// until it is cancelled. If it leaves pg_stat_activity while the lock is still held, it was
// cancelled on the server, not merely abandoned by the client.
//
// pg_stat_activity is read by a separate `observer` session, outside any transaction:
// inside one, PostgreSQL freezes the activity snapshot at the first read.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsTable, contractAnalytics, searchContracts, type ProgressUpdate } from '../../src/contracts/index.js';
import { createPrisma } from '../../src/db/prisma.js';
import { CancelledError } from '../../src/errors.js';
import { refs, useFixtureDatabase } from './fixture.js';

const t = useFixtureDatabase('engine_cancel');
let locker: pg.Client;
let observer: pg.Client;
beforeAll(async () => {
  locker = new pg.Client({ connectionString: t.url });
  observer = new pg.Client({ connectionString: t.url });
  await Promise.all([locker.connect(), observer.connect()]);
});
afterAll(async () => {
  await Promise.all([locker?.end(), observer?.end()]);
});

type Activity = { pid: number; state: string; wait_event_type: string | null; query: string };

/** Sessions of the test database running a statement on contracts (not the locker, not the observer): the engine's first, LOCK TABLE contracts, waits. */
async function runningOnContracts(): Promise<Activity[]> {
  const { rows } = await observer.query<Activity>(
    `SELECT pid, state, wait_event_type, query FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query ILIKE '%contracts%'`,
  );
  return rows;
}

/** Runs `f` while contracts is locked by another session; releases the lock afterwards. */
async function withContractsLocked<T>(f: () => Promise<T>): Promise<T> {
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE contracts IN ACCESS EXCLUSIVE MODE');
  try {
    return await f();
  } finally {
    await locker.query('ROLLBACK');
  }
}

describe('cancellation', () => {
  describe('when the signal is aborted while a statement runs', () => {
    it('cancels the statement on the server and rejects with CancelledError', async () => {
      await withContractsLocked(async () => {
        const controller = new AbortController();
        const call = contractAnalytics(t.prisma, { filters: {} }, { signal: controller.signal });
        const settled = call.then(
          () => 'resolved',
          (err: unknown) => err,
        );
        // The analytics statement is running (waiting for the lock) on the server.
        await expect.poll(async () => (await runningOnContracts()).length, { timeout: 10_000 }).toBe(1);
        const [running] = await runningOnContracts();
        expect(running?.wait_event_type).toBe('Lock');
        controller.abort(new Error('task timed out'));
        const outcome = await settled;
        expect(outcome).toBeInstanceOf(CancelledError);
        expect((outcome as CancelledError).message).toContain('task timed out');
        // Gone while the lock is still held (it could not have finished): the server cancelled it.
        // (Polled: the backend reports the end of the statement a moment after the client hears of it.)
        await expect.poll(async () => (await runningOnContracts()).length, { timeout: 5_000 }).toBe(0);
        const { rows } = await observer.query<{ state: string | null; wait: string | null }>(
          'SELECT state, wait_event_type AS wait FROM pg_stat_activity WHERE pid = $1',
          [running!.pid],
        );
        expect(rows[0]?.state ?? 'gone').not.toBe('active');
        expect(rows[0]?.wait ?? null).not.toBe('Lock');
      });
    });

    it('leaves the client usable for the next call', async () => {
      await withContractsLocked(async () => {
        const controller = new AbortController();
        const call = searchContracts(t.prisma, { filters: { keywords: ['road'] } }, { signal: controller.signal }).catch((e: unknown) => e);
        await expect.poll(async () => (await runningOnContracts()).length, { timeout: 10_000 }).toBeGreaterThan(0);
        controller.abort();
        expect(await call).toBeInstanceOf(CancelledError);
      });
      const result = await searchContracts(t.prisma, { filters: { contractors: ['petron'] } });
      expect(refs(result.contracts)).toEqual(['C18', 'C10', 'C02', 'C01']);
    });
  });

  describe('when the signal is aborted between two steps', () => {
    it('runs no further step and rejects with CancelledError', async () => {
      const controller = new AbortController();
      const updates: ProgressUpdate[] = [];
      const outcome = await contractAnalytics(
        t.prisma,
        { filters: {} },
        {
          signal: controller.signal,
          onProgress: (u) => {
            updates.push(u);
            if (u.done === 2) controller.abort();
          },
        },
      ).catch((e: unknown) => e);
      expect(outcome).toBeInstanceOf(CancelledError);
      expect(updates.map((u) => u.done)).toEqual([0, 1, 2]);
    });
  });

  describe('when the signal is already aborted', () => {
    it('rejects with CancelledError before connecting at all', async () => {
      // This client points at a database that does not exist: any connection attempt would fail differently.
      const nowhere = createPrisma('postgresql://postgres@127.0.0.1:5432/kontrata_engine_never_created');
      try {
        const signal = AbortSignal.abort();
        await expect(analyticsTable(nowhere, { filters: {}, dimension: 'AREA' }, { signal })).rejects.toBeInstanceOf(CancelledError);
        await expect(searchContracts(nowhere, { filters: {} }, { signal })).rejects.toBeInstanceOf(CancelledError);
      } finally {
        await nowhere.$disconnect();
      }
    });
  });
});
