// Private PostgreSQL and Redis servers for fault tests: each on a free port in a temporary
// directory of its own, never the shared services. stop() shuts down cleanly, kill() is a
// crash (SIGKILL), restart() brings the same server back on the same port and data, and
// remove() stops it and deletes its directory. The servers are the project's own private
// servers (src/services), configured as `npm start` runs them.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { killPostgres, startPostgres, stopPostgres } from '../../src/services/postgres-server.js';
import { killRedis, startRedis, stopRedis } from '../../src/services/redis-server.js';
import { freePort } from './outage.js';

export type PrivateServer = {
  /** Connection URL (PostgreSQL: the `postgres` maintenance database; use another path for your own). */
  url: string;
  port: number;
  /** The server's directory (data, log, pid file). */
  dir: string;
  /** The server's main process id now (changes on restart). */
  pid(): number;
  /** Clean shutdown; resolves when it is down. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash; resolves when the process is gone. */
  kill(): Promise<void>;
  /** Starts it again (after stop or kill) on the same port and data; resolves when it answers. */
  restart(): Promise<void>;
  /** Stops it if it runs and deletes its directory. */
  remove(): Promise<void>;
};

/** A temporary base directory the postgres OS user can enter (mkdtemp makes it 0700). */
async function tempBase(label: string): Promise<string> {
  const base = await mkdtemp(path.join(os.tmpdir(), `kontrata-${label}-`));
  await chmod(base, 0o755);
  return base;
}

/** Redis as a cache (the old docker-compose.yml): no append-only file, no snapshots. */
export const VOLATILE_REDIS_ARGS: readonly string[] = ['--appendonly', 'no', '--save', ''];

/**
 * Starts a private redis-server (AOF, noeviction) on a free port in a new temporary directory;
 * `extraArgs` override that (e.g. VOLATILE_REDIS_ARGS, or ['--rename-command', 'CONFIG', '']).
 */
export async function privateRedisServer(tuning: { extraArgs?: readonly string[] } = {}): Promise<PrivateServer> {
  const base = await tempBase('redis');
  const opts = { dir: path.join(base, 'redis'), port: await freePort(), ...(tuning.extraArgs ? { extraArgs: tuning.extraArgs } : {}) };
  let pid = (await startRedis(opts)).pid;
  return {
    url: `redis://127.0.0.1:${opts.port}`,
    port: opts.port,
    dir: opts.dir,
    pid: () => pid,
    stop: async () => void (await stopRedis(opts.dir, opts.port)),
    kill: async () => void (await killRedis(opts.dir, opts.port)),
    restart: async () => {
      pid = (await startRedis(opts)).pid;
    },
    remove: async () => {
      await stopRedis(opts.dir, opts.port).catch(() => killRedis(opts.dir, opts.port));
      await rm(base, { recursive: true, force: true });
    },
  };
}

/** Starts a private PostgreSQL cluster (initdb, user postgres, trust) on a free port in a new temporary directory. */
export async function privatePostgresServer(): Promise<PrivateServer> {
  const base = await tempBase('pg');
  const opts = { dir: path.join(base, 'pg'), port: await freePort() };
  let pid = (await startPostgres(opts)).pid;
  return {
    url: `postgresql://postgres@127.0.0.1:${opts.port}/postgres`,
    port: opts.port,
    dir: opts.dir,
    pid: () => pid,
    stop: async () => void (await stopPostgres(opts.dir)),
    kill: async () => void (await killPostgres(opts.dir)),
    restart: async () => {
      pid = (await startPostgres(opts)).pid;
    },
    remove: async () => {
      await stopPostgres(opts.dir).catch(() => killPostgres(opts.dir));
      await rm(base, { recursive: true, force: true });
    },
  };
}
