// A worker SIGKILLed in the middle of an export: nothing half-written is ever visible, the
// partial file is removed (by the next worker's start-up sweep: its writer is dead), and the
// retried task writes the complete file.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchContracts } from '../../src/contracts/index.js';
import type { ExportResult } from '../../src/exports/index.js';
import { parseExportText } from '../exports/support.js';
import { createHarness, lockContracts, type Harness } from './support/harness.js';
import { killWorker } from '../helpers/worker-process.js';
import { readFile } from 'node:fs/promises';

describe('an export whose worker is killed', () => {
  let h: Harness;
  let dir: string;
  let locker: pg.Client;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kontrata-export-crash-'));
    h = await createHarness('export_crash', { contracts: 2000, workerEnv: { EXPORT_DIR: dir } });
    locker = await h.sql();
  });
  afterAll(async () => {
    await h?.teardown();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('leaves no file behind, and the retried task produces the complete one', async () => {
    // The table lock holds the export after it created its partial file and wrote the header.
    const release = await lockContracts(locker);
    const doomed = await h.startWorker();
    const ticket = await h.queue.submit('EXPORT', { filters: {} });
    await h.events.waitFor(ticket.taskId, (e) => e.state === 'STARTED');
    await expect.poll(async () => (await readdir(dir)).filter((n) => n.startsWith('.partial-')).length, { timeout: 10_000, interval: 50 }).toBe(1);
    await killWorker(doomed, 'SIGKILL');
    await release();
    expect((await readdir(dir)).filter((n) => !n.startsWith('.partial-'))).toEqual([]); // nothing published

    await h.startWorker();
    const task = await h.waitForEnd(ticket, 30_000);
    expect(task).toMatchObject({ state: 'SUCCESS', attempts: 2 });
    const lookup = await h.queue.getResult(ticket.cacheKey);
    expect(lookup.status).toBe('READY');
    const data = lookup.result!.data as ExportResult;
    const id = data.url.slice('/exports/'.length, -'.csv'.length);
    // Exactly the finished export: the dead worker's partial is gone.
    expect((await readdir(dir)).sort()).toEqual([`${id}.csv`, `${id}.json`]);
    const file = parseExportText(await readFile(path.join(dir, `${id}.csv`), 'utf8'));
    const total = (await searchContracts(h.db.prisma, { filters: {}, pageSize: 1 })).pagination.totalCount;
    expect(total).toBe(2000);
    expect(file.rows).toHaveLength(total);
    expect(data.rows).toBe(total);
  });
});
