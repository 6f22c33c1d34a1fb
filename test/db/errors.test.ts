// How PostgreSQL failures are classified where they happen (src/db/errors.ts), with real
// errors from a real server: a database that does not answer is DATABASE_UNAVAILABLE; a
// statement PostgreSQL refuses (a bug) stays the driver's error, so the API masks it as
// unexpected and never reports the database as down.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchContracts } from '../../src/contracts/index.js';
import { databaseCall, sqlErrorOf } from '../../src/db/errors.js';
import { createPrisma, type Db } from '../../src/db/prisma.js';
import { ExpectedError, ServiceUnavailableError } from '../../src/errors.js';
import { describeTaskError } from '../../src/tasks/errors.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { freePort, startTcpProxy, type TcpProxy } from '../helpers/outage.js';

/** What `promise` rejected with (a promise that resolves fails the assertions that follow). */
const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => 'resolved', (err: unknown) => err);

describe('PostgreSQL error classification', () => {
  let database: TestDatabase;
  let admin: pg.Client;
  let proxy: TcpProxy;
  let proxied: Db;
  let unreachable: Db;
  let deadPort: number;

  beforeAll(async () => {
    database = await createTestDatabase('db_errors');
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    proxy = await startTcpProxy(Number(new URL(database.url).port || 5432));
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    proxied = createPrisma(viaProxy.toString(), { max: 2 });
    const nowhere = new URL(database.url);
    deadPort = await freePort(); // nothing listens there
    nowhere.port = String(deadPort);
    unreachable = createPrisma(nowhere.toString(), { max: 1 });
  });
  afterAll(async () => {
    await proxied?.$disconnect();
    await unreachable?.$disconnect();
    await proxy?.close();
    await admin?.end();
    await database?.drop();
  });

  describe('when PostgreSQL refuses a statement (a bug)', () => {
    it.each([
      ['a syntax error', 'SELEC 1', '42601', 'syntax error at or near "SELEC"'],
      ['an undefined column', 'SELECT no_such_column FROM contracts', '42703', 'column "no_such_column" does not exist'],
      ['an undefined table', 'SELECT 1 FROM no_such_table', '42P01', 'relation "no_such_table" does not exist'],
    ])('%s stays the driver\'s error, with PostgreSQL\'s SQLSTATE and words', async (_name, sql, sqlState, message) => {
      const err = await rejection(databaseCall(() => database.prisma.$queryRawUnsafe(sql)));
      expect(err).not.toBeInstanceOf(ExpectedError);
      expect(sqlErrorOf(err)).toEqual({ sqlState, message });
      expect(describeTaskError(err)).toBe(`Database error: ${message} (SQLSTATE ${sqlState})`);
    });

    it('the engine rejects with it too (never DATABASE_UNAVAILABLE)', async () => {
      await admin.query('ALTER TABLE contracts RENAME COLUMN award_date TO award_date_hidden');
      try {
        const err = await rejection(searchContracts(database.prisma, { filters: {} }));
        expect(err).not.toBeInstanceOf(ExpectedError);
        expect(sqlErrorOf(err)?.sqlState).toBe('42703');
      } finally {
        await admin.query('ALTER TABLE contracts RENAME COLUMN award_date_hidden TO award_date');
      }
    });
  });

  describe('when nothing listens on the database port', () => {
    it('is ServiceUnavailableError (DATABASE_UNAVAILABLE) keeping the driver\'s error as cause', async () => {
      const err = await rejection(databaseCall(() => unreachable.$queryRaw`SELECT 1`));
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect(err).toMatchObject({ code: 'DATABASE_UNAVAILABLE', details: { service: 'postgres' } });
      expect((err as Error).cause).toBeInstanceOf(Error);
    });

    it('the engine (one transaction per call) says so too, and the worker\'s record says where it could not connect', async () => {
      const err = await rejection(searchContracts(unreachable, { filters: {} }));
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect(describeTaskError(err)).toBe(`Database unavailable: cannot reach 127.0.0.1:${deadPort}`);
    });
  });

  describe('when the server ends the session (SQLSTATE 57P01)', () => {
    it('is ServiceUnavailableError', async () => {
      const err = await rejection(databaseCall(() => database.prisma.$queryRaw`SELECT pg_terminate_backend(pg_backend_pid())`));
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect(describeTaskError(err)).toBe('Database unavailable: terminating connection due to administrator command');
    });
  });

  describe('when the connection breaks in the middle of a statement', () => {
    it('is ServiceUnavailableError', async () => {
      const running = rejection(databaseCall(() => proxied.$queryRaw`SELECT pg_sleep(30)`));
      // Cut only once the statement is running, so the connection breaks under it.
      await expect
        .poll(async () => (await admin.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%'")).rowCount, { timeout: 20_000 })
        .toBe(1);
      await proxy.cut();
      try {
        const err = await running;
        expect(err).toBeInstanceOf(ServiceUnavailableError);
        expect(describeTaskError(err)).toBe('Database unavailable: Connection terminated unexpectedly');
      } finally {
        await proxy.restore();
        await admin.query("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%'");
      }
    });
  });
});
