// A private PostgreSQL server in a directory of its own (`<dir>/data`, log `<dir>/server.log`),
// run with the installed server programs (initdb, pg_ctl). Used for the project's ./var
// instance and by tests that need a server they may stop, kill and restart.
// It listens on TCP only (no Unix socket), so it never collides with a system server's
// socket directory, and trusts local connections like the Docker image does.
import { execFile } from 'node:child_process';
import { appendFile, chmod, chown, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { processAlive, readPidFile, waitForExit } from './process.js';
import { asPostgresUser, CommandError, findExecutable, isRoot, POSTGRES_OS_USER, run } from './run.js';

export type PrivateServerOptions = {
  /** The instance's own directory: created on first use; everything the server writes stays inside. */
  dir: string;
  port: number;
  /** Listen address: 127.0.0.1 (default), localhost (both loopback addresses) or ::1. */
  host?: string;
};

export type PostgresServerOptions = PrivateServerOptions & {
  /** Superuser created by initdb on first use (default postgres); the URL's user. */
  superuser?: string;
};

export type PostgresPrograms = { binDir: string; version: string; major: number };

export type StartedPostgres = { pid: number; version: string; dataDir: string; logFile: string; initialised: boolean };

/** Where a private server in `dir` keeps its cluster and its log. */
export function postgresPaths(dir: string): { dataDir: string; logFile: string } {
  return { dataDir: path.join(dir, 'data'), logFile: path.join(dir, 'server.log') };
}

async function numericDirs(parent: string, pattern: RegExp): Promise<string[]> {
  try {
    const names = (await readdir(parent)).filter((n) => pattern.test(n));
    return names.sort((a, b) => Number(b.match(/\d+/)?.[0]) - Number(a.match(/\d+/)?.[0])).map((n) => path.join(parent, n));
  } catch {
    return [];
  }
}

/** Directories where PostgreSQL's server programs usually are: PATH first, then each platform's packages. */
async function candidateBinDirs(): Promise<string[]> {
  const fromPath = await findExecutable('pg_ctl');
  return [
    ...(fromPath ? [path.dirname(fromPath)] : []),
    ...(await numericDirs('/usr/lib/postgresql', /^\d+$/)).map((d) => path.join(d, 'bin')), // Debian, Ubuntu
    ...(await numericDirs('/usr', /^pgsql-\d+$/)).map((d) => path.join(d, 'bin')), // RHEL, Fedora (PGDG)
    ...(await numericDirs('/opt/homebrew/opt', /^postgresql@\d+$/)).map((d) => path.join(d, 'bin')), // macOS, Apple silicon
    ...(await numericDirs('/usr/local/opt', /^postgresql@\d+$/)).map((d) => path.join(d, 'bin')), // macOS, Intel
    '/opt/homebrew/bin',
    '/usr/local/bin',
    '/Applications/Postgres.app/Contents/Versions/latest/bin',
  ];
}

/** The installed server programs (of major version `major` if given, e.g. to reopen an existing cluster); null if none. */
export async function findPostgresPrograms(major?: number): Promise<PostgresPrograms | null> {
  for (const binDir of new Set(await candidateBinDirs())) {
    const pgCtl = await findExecutable('pg_ctl', [binDir]);
    const initdb = await findExecutable('initdb', [binDir]);
    if (!pgCtl?.startsWith(binDir) || !initdb?.startsWith(binDir)) continue;
    const { code, output } = await run(pgCtl, ['--version'], { timeoutMs: 10_000 });
    const version = output.match(/\(PostgreSQL\)\s+(\d+(?:\.\d+)?)/)?.[1];
    if (code !== 0 || !version) continue;
    const found = { binDir, version, major: Number(version.split('.')[0]) };
    if (major === undefined || found.major === major) return found;
  }
  return null;
}

/** The major version of the cluster in `dataDir`; null when it is not initialised yet. */
async function clusterMajor(dataDir: string): Promise<number | null> {
  try {
    return Number((await readFile(path.join(dataDir, 'PG_VERSION'), 'utf8')).trim());
  } catch {
    return null;
  }
}

/** The postmaster's pid if a server runs on the cluster in `dir`, else null. */
export async function postgresPid(dir: string): Promise<number | null> {
  const pid = await readPidFile(path.join(postgresPaths(dir).dataDir, 'postmaster.pid'));
  return pid !== null && (await processAlive(pid)) ? pid : null;
}

/** The port a running server in `dir` listens on (line 4 of postmaster.pid); null if none runs. */
async function runningPort(dir: string): Promise<number | null> {
  if ((await postgresPid(dir)) === null) return null;
  try {
    const lines = (await readFile(path.join(postgresPaths(dir).dataDir, 'postmaster.pid'), 'utf8')).split('\n');
    return Number(lines[3]) || null;
  } catch {
    return null;
  }
}

const execFileAsync = promisify(execFile);

/** uid and gid of the postgres OS user (which owns the cluster when we are root). */
async function postgresOwner(): Promise<{ uid: number; gid: number }> {
  try {
    const [uid, gid] = await Promise.all(['-u', '-g'].map(async (flag) => Number((await execFileAsync('id', [flag, POSTGRES_OS_USER])).stdout.trim())));
    return { uid: uid!, gid: gid! };
  } catch {
    throw new CommandError(
      'Running as root, but there is no `postgres` OS user to own and run a private PostgreSQL server (PostgreSQL refuses to run as root). ' +
        'Create one (useradd --system postgres) or run as a normal user.',
    );
  }
}

/**
 * When root: the postgres user must be able to reach `dir` (search permission on every
 * directory above it). Grants o+x where it is missing and says so; returns the notes.
 */
export async function letPostgresReach(dir: string): Promise<string[]> {
  if (!isRoot()) return [];
  const notes: string[] = [];
  const [cmd, args] = await asPostgresUser('test', ['-x', dir]);
  if ((await run(cmd, args, { timeoutMs: 10_000 })).code === 0) return notes;
  let current = path.parse(dir).root;
  for (const part of path.relative(current, dir).split(path.sep)) {
    current = path.join(current, part);
    const st = await stat(current);
    if (!(st.mode & 0o001)) {
      await chmod(current, (st.mode & 0o7777) | 0o001);
      notes.push(`gave others search permission (o+x) on ${current}, so the postgres user can reach ${dir}`);
    }
  }
  return notes;
}

/** Creates `<dir>/data` with initdb unless it exists; returns whether it initialised. */
async function initCluster(programs: PostgresPrograms, dir: string, superuser: string): Promise<boolean> {
  const { dataDir } = postgresPaths(dir);
  if ((await clusterMajor(dataDir)) !== null) return false;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (isRoot()) {
    const { uid, gid } = await postgresOwner();
    await chown(dir, uid, gid);
  }
  const locale = process.platform === 'darwin' ? 'en_US.UTF-8' : 'C.UTF-8';
  const [cmd, args] = await asPostgresUser(path.join(programs.binDir, 'initdb'), ['-D', dataDir, '-U', superuser, '--auth=trust', '-E', 'UTF8', `--locale=${locale}`]);
  const { code, output } = await run(cmd, args, { cwd: dir, timeoutMs: 300_000 });
  if (code !== 0) throw new CommandError(`initdb failed for ${dataDir}:\n${output.trim()}`);
  // TCP only: the default socket directory (/var/run/postgresql, /tmp) may belong to a system server.
  await appendFile(path.join(dataDir, 'postgresql.conf'), "\n# Kontrata's private server (src/services/postgres-server.ts)\nunix_socket_directories = ''\n");
  return true;
}

async function logTail(logFile: string, lines = 15): Promise<string> {
  try {
    return (await readFile(logFile, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Starts the private server in `dir` on `port` (initialising the cluster on first use) and
 * waits until it accepts connections. Already running on that port: returns it as is.
 */
export async function startPostgres(opts: PostgresServerOptions): Promise<StartedPostgres> {
  const { dataDir, logFile } = postgresPaths(opts.dir);
  const major = await clusterMajor(dataDir);
  const programs = await findPostgresPrograms(major ?? undefined);
  if (!programs) {
    throw new CommandError(
      major === null
        ? "PostgreSQL's server programs (initdb, pg_ctl) are not installed."
        : `The cluster in ${dataDir} is PostgreSQL ${major}, and that version's server programs are not installed.`,
    );
  }
  const running = await runningPort(opts.dir);
  if (running !== null) {
    if (running !== opts.port) throw new CommandError(`The private PostgreSQL server in ${dataDir} already runs on port ${running}, not ${opts.port}.`);
    return { pid: (await postgresPid(opts.dir))!, version: programs.version, dataDir, logFile, initialised: false };
  }
  const initialised = await initCluster(programs, opts.dir, opts.superuser || 'postgres');
  const serverArgs = `-p ${opts.port} -c listen_addresses=${opts.host ?? '127.0.0.1'}`;
  const [cmd, args] = await asPostgresUser(path.join(programs.binDir, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-w', '-t', '120', '-o', serverArgs, 'start']);
  // Just after a kill -9, the old server's processes may still hold its shared memory for a moment.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { code, output } = await run(cmd, args, { cwd: opts.dir, timeoutMs: 180_000 });
    if (code === 0) break;
    const log = await logTail(logFile);
    if (Date.now() < deadline && /shared memory block is still in use|lock file .* already exists/.test(log)) {
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    throw new CommandError(`pg_ctl could not start PostgreSQL on port ${opts.port} (data ${dataDir}):\n${output.trim()}\n--- ${logFile} ---\n${log}`);
  }
  const pid = await postgresPid(opts.dir);
  if (pid === null) throw new CommandError(`PostgreSQL started but exited at once (data ${dataDir}):\n${await logTail(logFile)}`);
  return { pid, version: programs.version, dataDir, logFile, initialised };
}

/** Stops the server in `dir` (fast shutdown: sessions are closed, data is safe); false if none ran. */
export async function stopPostgres(dir: string): Promise<boolean> {
  if ((await postgresPid(dir)) === null) return false;
  const { dataDir } = postgresPaths(dir);
  const programs = await findPostgresPrograms((await clusterMajor(dataDir)) ?? undefined);
  if (!programs) throw new CommandError(`pg_ctl is not installed: cannot stop the server in ${dataDir}.`);
  const [cmd, args] = await asPostgresUser(path.join(programs.binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  const { code, output } = await run(cmd, args, { cwd: dir, timeoutMs: 90_000 });
  if (code !== 0 && (await postgresPid(dir)) !== null) throw new CommandError(`pg_ctl could not stop ${dataDir}:\n${output.trim()}`);
  return true;
}

/** Kills the server in `dir` with SIGKILL (a crash, for fault tests) and waits until the postmaster is gone. */
export async function killPostgres(dir: string): Promise<boolean> {
  const pid = await postgresPid(dir);
  if (pid === null) return false;
  process.kill(pid, 'SIGKILL');
  await waitForExit(pid, 10_000);
  return true;
}

/** Stops the server in `dir` if it runs, then starts it again on the same port. */
export async function restartPostgres(opts: PostgresServerOptions): Promise<StartedPostgres> {
  await stopPostgres(opts.dir);
  return startPostgres(opts);
}
