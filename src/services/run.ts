// Running the server programs: find them, run them (as the `postgres` user when we are
// root: PostgreSQL refuses to run as root), and collect what they print for error messages.
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';

export type RunResult = { code: number | null; output: string };

/** Thrown when a server program fails; the message carries its output. */
export class CommandError extends Error {
  override name = 'CommandError';
}

/**
 * Runs a program to completion (no shell) and returns its exit code and output. Waits for
 * `exit`, not `close`: a daemon it forks may keep the pipes open. Started in its own process
 * group, so Ctrl-C in the terminal does not reach what it leaves running.
 */
export function run(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          output += `\n(killed after ${opts.timeoutMs} ms)`;
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : null;
    child.once('error', (err) => {
      if (timer) clearTimeout(timer);
      resolve({ code: null, output: `${output}${err.message}` });
    });
    child.once('exit', (code) => {
      if (timer) clearTimeout(timer);
      // Let the pipes deliver what is already written, without waiting for a daemon to close them.
      setImmediate(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({ code, output });
      });
    });
  });
}

/** Runs a program and throws CommandError (with its output) unless it exits 0. */
export async function runOrThrow(command: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  const { code, output } = await run(command, args, opts);
  if (code !== 0) throw new CommandError(`${path.basename(command)} ${args.join(' ')} failed (${code === null ? 'did not run' : `exit ${code}`}):\n${output.trim()}`);
  return output;
}

/** The absolute path of an executable, from the given directories or else PATH; null when absent. */
export async function findExecutable(name: string, dirs: string[] = []): Promise<string | null> {
  const pathDirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of [...dirs, ...pathDirs]) {
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Whether this process runs as root (never on Windows). */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The user PostgreSQL's programs run as when we are root. */
export const POSTGRES_OS_USER = 'postgres';

/** `command args` as run by the `postgres` OS user when we are root (runuser, else setpriv), else unchanged. */
export async function asPostgresUser(command: string, args: string[]): Promise<[string, string[]]> {
  if (!isRoot()) return [command, args];
  const runuser = await findExecutable('runuser', ['/usr/sbin', '/sbin']);
  if (runuser) return [runuser, ['-u', POSTGRES_OS_USER, '--', command, ...args]];
  const setpriv = await findExecutable('setpriv', ['/usr/bin', '/bin']);
  if (setpriv) return [setpriv, [`--reuid=${POSTGRES_OS_USER}`, `--regid=${POSTGRES_OS_USER}`, '--init-groups', command, ...args]];
  throw new CommandError('Running as root, and neither runuser nor setpriv is installed to run PostgreSQL as the postgres user.');
}
