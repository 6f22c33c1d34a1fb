// The start-up module (src/services): with DATABASE_URL and REDIS_URL pointing at local
// ports where nothing listens, it starts private servers under a var directory, the app
// then answers /ready, a second call reuses them, services:stop stops exactly what it
// started; it never starts anything for another host or in production.
import { spawn } from 'node:child_process';
import { access, chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { migrate } from '../../src/db/migrate.js';
import { ensureServices, ServicesUnavailableError, type ServiceReport } from '../../src/services/ensure.js';
import { postgresPid } from '../../src/services/postgres-server.js';
import { tcpConnect } from '../../src/services/probe.js';
import { privateDirs, readRecord } from '../../src/services/record.js';
import { redisPid } from '../../src/services/redis-server.js';
import { stopStartedServices } from '../../src/services/stop.js';
import { freePort, startPrivateRedis, type PrivateRedis } from '../helpers/outage.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A temporary directory holding a var directory, reachable by the postgres OS user. */
async function tempVar(): Promise<{ base: string; varDir: string }> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'kontrata-services-'));
  await chmod(base, 0o755);
  return { base, varDir: path.join(base, 'var') };
}

const exists = (file: string) => access(file).then(() => true, () => false);
const summary = (reports: ServiceReport[]) => reports.map((r) => [r.kind, r.state, r.startedBy?.how ?? null]);

async function redisConfig(url: string, name: string): Promise<string | undefined> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return ((await redis.config('GET', name)) as string[])[1];
  } finally {
    redis.disconnect();
  }
}

describe('ensureServices', () => {
  describe('when nothing listens on the configured local ports', () => {
    let base: string;
    let varDir: string;
    let databaseUrl: string;
    let redisUrl: string;
    let redisPort: number;
    let first: ServiceReport[];

    beforeAll(async () => {
      ({ base, varDir } = await tempVar());
      redisPort = await freePort();
      databaseUrl = `postgresql://postgres@127.0.0.1:${await freePort()}/kontrata_services_test`;
      redisUrl = `redis://127.0.0.1:${redisPort}`;
      first = await ensureServices({ databaseUrl, redisUrl, nodeEnv: 'test', varDir, useDocker: false });
    });
    afterAll(async () => {
      await stopStartedServices(varDir).catch(() => {});
      await rm(base, { recursive: true, force: true });
    });

    it('starts a private PostgreSQL and a private Redis under the var directory and records them', async () => {
      expect(summary(first)).toEqual([
        ['postgres', 'started', 'private'],
        ['redis', 'started', 'private'],
      ]);
      const dirs = privateDirs(varDir);
      expect(await exists(path.join(dirs.postgres, 'data', 'PG_VERSION'))).toBe(true);
      expect(await redisConfig(redisUrl, 'dir')).toBe(dirs.redis);
      expect((await readRecord(varDir)).map((e) => [e.kind, e.how, e.how === 'private' ? e.dir : null]).sort()).toEqual([
        ['postgres', 'private', dirs.postgres],
        ['redis', 'private', dirs.redis],
      ]);
      expect(first[0]!.message).toContain(path.join(dirs.postgres, 'data'));
      expect(first[1]!.message).toContain(dirs.redis);
    });

    it('runs Redis as a durable task store: AOF fsynced every second, noeviction', async () => {
      expect(await redisConfig(redisUrl, 'appendonly')).toBe('yes');
      expect(await redisConfig(redisUrl, 'appendfsync')).toBe('everysec');
      expect(await redisConfig(redisUrl, 'maxmemory-policy')).toBe('noeviction');
    });

    it('lets the app come up on them: /ready answers 200', async () => {
      await migrate(databaseUrl);
      const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, PORT: '0', METRICS_PORT: '0', QUEUE_PREFIX: 'kontrata-services-test' });
      const app = buildApp(config);
      try {
        const { url } = await app.start();
        const res = await fetch(new URL('/ready', url));
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ status: 'ok' });
      } finally {
        await app.stop();
      }
    });

    it('reuses them on a second call: nothing new is started', async () => {
      const dirs = privateDirs(varDir);
      const pids = [await postgresPid(dirs.postgres), await redisPid(dirs.redis, redisPort)];
      expect(pids.every((p) => p !== null)).toBe(true);
      const second = await ensureServices({ databaseUrl, redisUrl, nodeEnv: 'test', varDir, useDocker: false });
      expect(summary(second)).toEqual([
        ['postgres', 'answers', 'private'],
        ['redis', 'answers', 'private'],
      ]);
      expect([await postgresPid(dirs.postgres), await redisPid(dirs.redis, redisPort)]).toEqual(pids);
      expect(await readRecord(varDir)).toHaveLength(2);
    });
  });

  describe('services:stop', () => {
    let base: string;
    let varDir: string;
    let external: PrivateRedis;

    beforeAll(async () => {
      ({ base, varDir } = await tempVar());
      external = await startPrivateRedis(); // running already: not the project's to stop
    });
    afterAll(async () => {
      await stopStartedServices(varDir).catch(() => {});
      await external.stop();
      await rm(base, { recursive: true, force: true });
    });

    it('stops what the project started, and only that', async () => {
      const pgPort = await freePort();
      const reports = await ensureServices({
        databaseUrl: `postgresql://postgres@127.0.0.1:${pgPort}/kontrata`,
        redisUrl: external.url,
        nodeEnv: 'development',
        varDir,
        useDocker: false,
      });
      expect(summary(reports)).toEqual([
        ['postgres', 'started', 'private'],
        ['redis', 'answers', null],
      ]);
      const lines = await stopStartedServices(varDir);
      expect(lines).toEqual([expect.stringMatching(/^Stopped PostgreSQL at 127\.0\.0\.1:\d+/)]);
      expect(await tcpConnect('127.0.0.1', pgPort)).toBe('refused');
      expect(await tcpConnect('127.0.0.1', external.port)).toBe('open');
      expect(await readRecord(varDir)).toEqual([]);
      expect(await stopStartedServices(varDir)).toEqual(['The project started no services here; nothing to stop.']);
    });
  });

  describe('when it must not start anything', () => {
    let base: string;
    let varDir: string;

    beforeAll(async () => {
      ({ base, varDir } = await tempVar());
    });
    afterAll(async () => {
      await rm(base, { recursive: true, force: true });
    });

    /** Runs ensureServices expecting a refusal; returns its problems after checking nothing was started on `freePorts`. */
    async function refused(opts: { databaseUrl: string; redisUrl: string; nodeEnv: 'development' | 'production' }, freePorts: number[]): Promise<string[]> {
      const error = await ensureServices({ ...opts, varDir, useDocker: false }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(ServicesUnavailableError);
      expect(await exists(varDir)).toBe(false); // no data directory, no record, no lock
      for (const port of freePorts) expect(await tcpConnect('127.0.0.1', port)).toBe('refused');
      return (error as ServicesUnavailableError).problems;
    }

    it('never starts a service for a URL on another host, nor the local one beside it', async () => {
      const redisPort = await freePort();
      const problems = await refused(
        { databaseUrl: 'postgresql://postgres@db.kontrata.invalid:5432/kontrata', redisUrl: `redis://127.0.0.1:${redisPort}`, nodeEnv: 'development' },
        [redisPort],
      );
      expect(problems).toEqual([expect.stringMatching(/^PostgreSQL is not reachable at db\.kontrata\.invalid:5432 \(DATABASE_URL\)[\s\S]*db\.kontrata\.invalid is not this machine/)]);
    });

    it('refuses in production, naming each missing service', async () => {
      const [pgPort, redisPort] = [await freePort(), await freePort()];
      const problems = await refused(
        { databaseUrl: `postgresql://postgres@127.0.0.1:${pgPort}/kontrata`, redisUrl: `redis://127.0.0.1:${redisPort}`, nodeEnv: 'production' },
        [pgPort, redisPort],
      );
      expect(problems).toEqual([
        expect.stringMatching(/^PostgreSQL is not reachable at 127\.0\.0\.1:\d+ \(DATABASE_URL\)[\s\S]*NODE_ENV=production: Kontrata starts no services/),
        expect.stringMatching(/^Redis is not reachable at 127\.0\.0\.1:\d+ \(REDIS_URL\)[\s\S]*NODE_ENV=production: Kontrata starts no services/),
      ]);
    });

    it('starts no server on a port where something else listens', async () => {
      const impostor = net.createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
      const port = (impostor.address() as net.AddressInfo).port;
      try {
        const pgPort = await freePort();
        const problems = await refused(
          { databaseUrl: `postgresql://postgres@127.0.0.1:${pgPort}/kontrata`, redisUrl: `redis://127.0.0.1:${port}`, nodeEnv: 'development' },
          [pgPort],
        );
        expect(problems).toEqual([expect.stringMatching(/^Redis at 127\.0\.0\.1:\d+ \(REDIS_URL\) does not answer as expected[\s\S]*Something listens on that port/)]);
      } finally {
        await new Promise<void>((resolve) => impostor.close(() => resolve()));
      }
    });
  });

  describe('the API process in production', () => {
    it('reports the missing services and exits 1 without starting any', async () => {
      const [pgPort, redisPort] = [await freePort(), await freePort()];
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'production',
          DATABASE_URL: `postgresql://postgres@127.0.0.1:${pgPort}/kontrata`,
          REDIS_URL: `redis://127.0.0.1:${redisPort}`,
          PORT: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.resume();
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toMatch(/^The API cannot start:\n\nPostgreSQL is not reachable at 127\.0\.0\.1:\d+[\s\S]*NODE_ENV=production[\s\S]*Redis is not reachable/);
      expect(await tcpConnect('127.0.0.1', pgPort)).toBe('refused');
      expect(await tcpConnect('127.0.0.1', redisPort)).toBe('refused');
    });
  });
});
