// A private redis-server in a directory of its own (AOF, pid file and log inside `dir`),
// configured as a durable task store: append-only file fsynced every second, and
// noeviction, so Redis refuses writes when full instead of silently dropping task records.
// Used for the project's ./var instance and by tests that stop, kill and restart Redis.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { endpointOf } from './endpoint.js';
import type { PrivateServerOptions } from './postgres-server.js';
import { commandLineOf, processAlive, readPidFile, waitForExit } from './process.js';
import { waitUntilAnswers } from './probe.js';
import { CommandError, findExecutable, run } from './run.js';

export type StartedRedis = { pid: number; version: string; dir: string; logFile: string };

/** Where a private server in `dir` keeps its pid and log (its AOF is in `<dir>/appendonlydir`). */
export function redisPaths(dir: string): { pidFile: string; logFile: string } {
  return { pidFile: path.join(dir, 'redis.pid'), logFile: path.join(dir, 'redis.log') };
}

/** The installed redis-server; null when absent. */
export function findRedisServer(): Promise<string | null> {
  return findExecutable('redis-server', ['/usr/bin', '/usr/local/bin', '/opt/homebrew/bin', '/usr/sbin']);
}

/** The pid of a running private server in `dir` (checked to be a redis-server on `port`), else null. */
export async function redisPid(dir: string, port: number): Promise<number | null> {
  const pid = await readPidFile(redisPaths(dir).pidFile);
  if (pid === null || !(await processAlive(pid))) return null;
  // A stale pid file's number may belong to another process by now: never signal that one.
  const cmdline = await commandLineOf(pid);
  return cmdline.includes('redis-server') && (cmdline.includes(`:${port}`) || cmdline.includes(`--port ${port}`)) ? pid : null;
}

function bindAddresses(host: string): string[] {
  // '-' marks an address that may be missing (a machine without IPv6).
  return host === 'localhost' ? ['127.0.0.1', '-::1'] : [host];
}

async function logTail(logFile: string, lines = 15): Promise<string> {
  try {
    return (await readFile(logFile, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * redis.conf directives appended after the durable defaults above (a later directive wins):
 * fault tests use them to run Redis the ways operators get it wrong (no persistence, an
 * evicting policy, CONFIG renamed away as on managed services).
 */
export type RedisTuning = { extraArgs?: readonly string[] };

/** Starts a private redis-server in `dir` on `port` and waits until it answers PING. Already running: returns it. */
export async function startRedis(opts: PrivateServerOptions & RedisTuning): Promise<StartedRedis> {
  const host = opts.host ?? '127.0.0.1';
  const redisServer = await findRedisServer();
  if (!redisServer) throw new CommandError('redis-server is not installed.');
  const version = (await run(redisServer, ['--version'], { timeoutMs: 10_000 })).output.match(/v=(\S+)/)?.[1] ?? 'unknown';
  const { pidFile, logFile } = redisPaths(opts.dir);
  const running = await redisPid(opts.dir, opts.port);
  if (running !== null) return { pid: running, version, dir: opts.dir, logFile };
  await mkdir(opts.dir, { recursive: true });
  const { code, output } = await run(
    redisServer,
    [
      '--port', String(opts.port),
      '--bind', ...bindAddresses(host),
      '--dir', opts.dir,
      '--daemonize', 'yes',
      '--pidfile', pidFile,
      '--logfile', logFile,
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--maxmemory-policy', 'noeviction',
      '--save', '', // the AOF is the durable copy; no RDB snapshots on top
      ...(opts.extraArgs ?? []),
    ],
    { cwd: opts.dir, timeoutMs: 30_000 },
  );
  if (code !== 0) throw new CommandError(`redis-server could not start on port ${opts.port}:\n${output.trim()}\n--- ${logFile} ---\n${await logTail(logFile)}`);
  // --daemonize: the command returns before the server listens (or fails, e.g. port taken).
  const url = `redis://${host.includes(':') ? `[${host}]` : host}:${opts.port}`;
  try {
    await waitUntilAnswers(endpointOf('redis', url), 30_000);
  } catch (err) {
    throw new CommandError(`redis-server did not come up on port ${opts.port}: ${(err as Error).message}\n--- ${logFile} ---\n${await logTail(logFile)}`);
  }
  const pid = await redisPid(opts.dir, opts.port);
  if (pid === null) throw new CommandError(`redis-server answers on port ${opts.port} but its pid file ${pidFile} names no redis-server on that port.`);
  return { pid, version, dir: opts.dir, logFile };
}

/** Stops the private server in `dir` (SIGTERM: Redis flushes the AOF and exits); false if none ran. */
export async function stopRedis(dir: string, port: number): Promise<boolean> {
  const pid = await redisPid(dir, port);
  if (pid === null) return false;
  process.kill(pid, 'SIGTERM');
  if (!(await waitForExit(pid, 30_000))) throw new CommandError(`redis-server (pid ${pid}) did not stop within 30 s.`);
  return true;
}

/** Kills the private server in `dir` with SIGKILL (a crash, for fault tests) and waits until it is gone. */
export async function killRedis(dir: string, port: number): Promise<boolean> {
  const pid = await redisPid(dir, port);
  if (pid === null) return false;
  process.kill(pid, 'SIGKILL');
  await waitForExit(pid, 10_000);
  return true;
}

/** Stops the private server in `dir` if it runs, then starts it again (it reloads its AOF). */
export async function restartRedis(opts: PrivateServerOptions & RedisTuning): Promise<StartedRedis> {
  await stopRedis(opts.dir, opts.port);
  return startRedis(opts);
}
