// The download route of a real API (buildApp on a free port): headers, gzip, and a plain 404
// for everything that is not a live export, path tricks included; expired exports are
// swept from disk, at start-up and while running.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { exportContracts, type ExportResult } from '../../src/exports/index.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, testQueuePrefix, TEST_REDIS_URL, type TestDatabase } from '../helpers/db.js';
import { rawGet } from '../exports/http.js';
import { loadExportFixture, parseExportText } from '../exports/support.js';

let t: TestDatabase;
let dir: string;
let outside: string;
let app: App;
let base: string;
let contracts: ExportResult;
let areas: ExportResult;
const HOST = os.hostname().replace(/[^A-Za-z0-9.]/g, '_') || 'host';

/** A pid that is certainly dead: a process that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim() as unknown as number;
}

beforeAll(async () => {
  t = await createTestDatabase('exports_route');
  await loadExportFixture(t);
  outside = await mkdtemp(path.join(os.tmpdir(), 'kontrata-outside-'));
  dir = path.join(outside, 'exports');
  await writeFile(path.join(outside, 'secret.txt'), 'outside the export dir');
  contracts = await exportContracts(t.prisma, { filters: {} }, { files: { dir, ttlSeconds: 600 } });
  areas = await exportContracts(t.prisma, { filters: {}, dimension: 'AREA' }, { files: { dir, ttlSeconds: 600 } });
  // Left over from before the start: an expired export, an orphan partial of a dead writer.
  const old = await exportContracts(t.prisma, { filters: {}, dimension: 'CONTRACTOR' }, { files: { dir, ttlSeconds: 1 }, });
  const oldId = old.url.slice(9, -4);
  const meta = JSON.parse(await readFile(path.join(dir, `${oldId}.json`), 'utf8'));
  await writeFile(path.join(dir, `${oldId}.json`), JSON.stringify({ ...meta, expiresAt: new Date(Date.now() - 1000).toISOString() }));
  await writeFile(path.join(dir, `.partial-${HOST}-${deadPid()}-abcdef.csv`), 'half a file');
  await writeFile(path.join(dir, 'notes.txt'), 'not an export');
  const config = loadConfig({
    NODE_ENV: 'test', DATABASE_URL: t.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: testQueuePrefix('exports_route'),
    PORT: '0', METRICS_PORT: '0', EXPORT_DIR: dir, RESULT_TTL_SECONDS: '4', LOG_LEVEL: 'silent',
  });
  app = buildApp(config, { logger: createLogger({ level: 'silent', name: 'test' }) });
  base = (await app.start()).url.replace(/\/graphql$/, '');
});
afterAll(async () => {
  await app?.stop();
  await t?.drop();
  if (outside) await rm(outside, { recursive: true, force: true });
});

const idOf = (r: ExportResult) => r.url.slice('/exports/'.length, -'.csv'.length);

describe('GET /exports/<id>.csv', () => {
  describe('when the export exists', () => {
    it('answers 200 with the CSV, its type, an attachment name and its length', async () => {
      const res = await rawGet(base, contracts.url);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="kontrata-contracts-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(Number(res.headers['content-length'])).toBe(contracts.bytes);
      expect(res.body.length).toBe(contracts.bytes);
      expect(res.body).toEqual(await readFile(path.join(dir, `${idOf(contracts)}.csv`)));
      expect(parseExportText(res.body.toString('utf8')).rows).toHaveLength(contracts.rows);
      const group = await rawGet(base, areas.url);
      expect(group.headers['content-disposition']).toMatch(/^attachment; filename="kontrata-area-\d{4}-\d{2}-\d{2}\.csv"$/);
    });

    it('compresses with gzip when the client accepts it, and not when it refuses it', async () => {
      const res = await rawGet(base, contracts.url, { 'accept-encoding': 'br;q=1, gzip;q=0.8' });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(gunzipSync(res.body)).toEqual(await readFile(path.join(dir, `${idOf(contracts)}.csv`)));
      const refused = await rawGet(base, contracts.url, { 'accept-encoding': 'gzip;q=0, identity' });
      expect(refused.headers['content-encoding']).toBeUndefined();
      expect(refused.body.length).toBe(contracts.bytes);
    });

    it('answers HEAD with the headers only', async () => {
      const res = await rawGet(base, contracts.url, {}, 'HEAD');
      expect(res.status).toBe(200);
      expect(Number(res.headers['content-length'])).toBe(contracts.bytes);
      expect(res.body.length).toBe(0);
    });
  });

  describe('when the path is not a live export', () => {
    it('answers the same plain 404 for unknown ids, other files and path tricks', async () => {
      const id = idOf(contracts);
      const unknown = await rawGet(base, '/exports/AAAAAAAAAAAAAAAAAAAAAA.csv');
      expect(unknown.status).toBe(404);
      const paths = [
        `/exports/${id}.json`,
        `/exports/${id}`,
        `/exports/${id}.csv/`,
        `/exports/${id}.csv.gz`,
        `/exports/${id}x.csv`,
        `/exports/${id.slice(1)}.csv`,
        '/exports/../secret.txt',
        '/exports/..%2fsecret.txt',
        '/exports/..%2Fsecret.txt',
        '/exports/%2e%2e/secret.txt',
        `/exports/..%2fexports%2f${id}.csv`,
        `/exports/%2e%2e%2fexports%2f${id}.csv`,
        `/exports/${id}.csv%00`,
        '/exports/notes.txt',
        '/exports/',
        '/exports',
        `/exports/.partial-${HOST}-1-abcdef.csv`,
        '/exports/....................../secret.txt',
      ];
      for (const p of paths) {
        const res = await rawGet(base, p);
        expect({ p, status: res.status, body: res.body.toString() }).toEqual({ p, status: 404, body: unknown.body.toString() });
      }
    });

    it('still serves GraphQL next to it', async () => {
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
      expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
    });
  });

  describe('when an export expires', () => {
    it('answers 404 and its files are removed from disk', async () => {
      const short = await exportContracts(t.prisma, { filters: {}, dimension: 'ORGANIZATION' }, { files: { dir, ttlSeconds: 2 } });
      expect((await rawGet(base, short.url)).status).toBe(200);
      await expect.poll(async () => (await rawGet(base, short.url)).status, { timeout: 10_000, interval: 200 }).toBe(404);
      await expect.poll(async () => (await readdir(dir)).filter((n) => n.startsWith(idOf(short))), { timeout: 10_000, interval: 200 }).toEqual([]);
    });

    it('removed, at start-up, what had expired or been left half-written while no process ran', async () => {
      const names = await readdir(dir);
      expect(names.filter((n) => n.startsWith('.partial-'))).toEqual([]);
      // What remains: the live exports, and the file that is not an export (left alone).
      expect(names.filter((n) => n.endsWith('.json')).sort()).toEqual([`${idOf(contracts)}.json`, `${idOf(areas)}.json`].sort());
      expect(names).toContain('notes.txt');
    });
  });
});
