// The read-only application role of docker/postgres-init/10-app-role.sql, applied to a test
// database: the API answers every kind of question through it (analytics' temporary table
// included), the start-up migration check passes when nothing is pending, and nothing can
// be written with it.
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { migrate, MIGRATIONS_DIR } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { deletePrefixKeys } from '../../src/tasks/keys.js';
import { Redis } from 'ioredis';
import { ADMIN_URL, createTestDatabase, testQueuePrefix, TEST_REDIS_URL, type TestDatabase } from '../helpers/db.js';
import { loadFixture } from '../helpers/fixture.js';
import { gqlData } from '../helpers/graphql.js';
import { SUBMIT } from '../helpers/operations.js';

const INIT_SQL = fileURLToPath(new URL('../../docker/postgres-init/10-app-role.sql', import.meta.url));

describe('the read-only application role', () => {
  let database: TestDatabase;
  let role: string;
  let appUrl: string;
  let app: App;
  let url: string;
  const prefix = testQueuePrefix('read_only_role');

  beforeAll(async () => {
    database = await createTestDatabase('read_only_role');
    await loadFixture(database.url, 300);
    role = `kontrata_test_app_${randomBytes(4).toString('hex')}`;
    // The init script as shipped, for this role and this database.
    const sql = (await readFile(INIT_SQL, 'utf8')).replaceAll('kontrata_app', role).replace('ON DATABASE kontrata', `ON DATABASE "${database.name}"`);
    const owner = new pg.Client({ connectionString: database.url });
    await owner.connect();
    await owner.query(sql);
    await owner.end();
    const u = new URL(database.url);
    u.username = role;
    u.password = role;
    appUrl = u.toString();
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: appUrl, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, PORT: '0', METRICS_PORT: '0' });
    app = buildApp(config, { logger: createLogger({ level: 'silent', name: 'api-test' }) });
    url = (await app.start()).url;
  });

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS "${role}"`).finally(() => admin.end());
    const redis = new Redis(TEST_REDIS_URL);
    await deletePrefixKeys(redis, prefix);
    redis.disconnect();
  });

  it('answers searches, analytics (temporary table), tables, filter options and submissions', async () => {
    const filters = { timeRanges: [{ from: '2015-01-01' }] };
    const data = await gqlData(
      url,
      `query($f: ContractFilter!) { searchContracts(input: { filters: $f }) { pagination { totalCount } } }`,
      { f: filters },
    );
    expect(data.searchContracts.pagination.totalCount).toBeGreaterThan(0);
    const analytics = await gqlData(url, `query($f: ContractFilter!) { contractAnalytics(input: { filters: $f }) { summary { count } } }`, { f: filters });
    expect(analytics.contractAnalytics.summary.count).toBe(data.searchContracts.pagination.totalCount);
    const table = await gqlData(url, `{ analyticsTable(input: { filters: {}, dimension: AREA }) { pagination { totalCount } } }`);
    expect(table.analyticsTable.pagination.totalCount).toBeGreaterThan(0);
    expect((await gqlData(url, `{ filterOptions(dimension: CONTRACTOR, limit: 3) { label } }`)).filterOptions).toHaveLength(3);
    const submitted = await gqlData(url, SUBMIT.SEARCH, { input: { filters } });
    expect(submitted.ticket.status).toBe('QUEUED');
  });

  it('passes the start-up migration check when nothing is pending', async () => {
    await expect(migrate(appUrl)).resolves.toEqual({ createdDatabase: false, applied: [] });
  });

  it('refuses to apply a pending migration, naming MIGRATION_DATABASE_URL', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kontrata-migrations-'));
    try {
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      await mkdir(path.join(dir, '99990101000000_pending'));
      await writeFile(path.join(dir, '99990101000000_pending', 'migration.sql'), 'CREATE TABLE pending_probe (id int);');
      await expect(migrate(appUrl, dir)).rejects.toThrow(/MIGRATION_DATABASE_URL/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('cannot write', async () => {
    const client = new pg.Client({ connectionString: appUrl });
    await client.connect();
    try {
      await expect(client.query('UPDATE dataset_state SET version = version + 1')).rejects.toMatchObject({ code: '42501' });
      await expect(client.query('DELETE FROM contracts')).rejects.toMatchObject({ code: '42501' });
      await expect(client.query('CREATE TABLE probe (id int)')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await client.end();
    }
  });
});
