// Small facts about OS processes, for servers we started as daemons: is a pid alive, what
// is its command line, wait for it to be gone.
import { readFile } from 'node:fs/promises';
import { run } from './run.js';

/** Whether `pid` is a live process (a zombie, dead but not reaped, counts as gone). */
export async function processAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else (a postgres-owned postmaster when we are not root).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Field 3, after the parenthesised command name (which may contain spaces).
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(0) said it exists
  }
}

/** The command line of a live process ('' when unknown): /proc on Linux, ps elsewhere. */
export async function commandLineOf(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ').trim();
  } catch {
    const { code, output } = await run('ps', ['-o', 'args=', '-p', String(pid)], { timeoutMs: 5000 });
    return code === 0 ? output.trim() : '';
  }
}

/** Resolves once `pid` is gone; false if it is still alive after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await processAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** Reads the first line of a pid file as a number; null when absent or malformed. */
export async function readPidFile(file: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(file, 'utf8')).split('\n')[0]?.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
