// What the project started, kept in <var>/services.json, so that `npm run services:stop`
// stops exactly that and nothing else, and `npm start` can say where the data lives. A lock
// file serialises `npm start`, `npm test` and CI starting services in one ./var at once.
import { mkdir, open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceKind } from './endpoint.js';
import { processAlive } from './process.js';

/** The project's ./var: private servers' data, logs and the record of what was started. */
export const PROJECT_VAR_DIR = fileURLToPath(new URL('../../var', import.meta.url));

export type StartedService =
  | { kind: ServiceKind; how: 'private'; address: string; port: number; host: string; dir: string; startedAt: string }
  | { kind: ServiceKind; how: 'docker'; address: string; port: number; composeFile: string; service: string; startedAt: string };

const RECORD_FILE = 'services.json';
const LOCK_FILE = 'services.lock';

/** The private servers' directories inside a var directory. */
export function privateDirs(varDir: string): Record<ServiceKind, string> {
  return { postgres: path.join(varDir, 'postgresql'), redis: path.join(varDir, 'redis') };
}

/** What was started from this var directory (empty when nothing, or no record yet). */
export async function readRecord(varDir: string): Promise<StartedService[]> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path.join(varDir, RECORD_FILE), 'utf8'));
    return Array.isArray(parsed) ? (parsed as StartedService[]) : [];
  } catch {
    return [];
  }
}

function sameService(a: StartedService, b: StartedService): boolean {
  if (a.kind !== b.kind || a.how !== b.how) return false;
  return a.how === 'private' ? a.dir === (b as typeof a).dir : a.service === (b as typeof a).service && a.composeFile === (b as typeof a).composeFile;
}

/** Replaces the record (atomically: a reader never sees half a file). */
async function writeRecord(varDir: string, entries: StartedService[]): Promise<void> {
  const file = path.join(varDir, RECORD_FILE);
  await writeFile(`${file}.tmp`, `${JSON.stringify(entries, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

/** Adds (or replaces) one started service in the record. */
export async function recordStarted(varDir: string, entry: StartedService): Promise<void> {
  const entries = (await readRecord(varDir)).filter((e) => !sameService(e, entry));
  await writeRecord(varDir, [...entries, entry]);
}

/** Removes one service from the record (after stopping it). */
export async function forgetStarted(varDir: string, entry: StartedService): Promise<void> {
  await writeRecord(varDir, (await readRecord(varDir)).filter((e) => !sameService(e, entry)));
}

/** The record's entry for a private server or compose service answering at `address`, if the project started it. */
export async function findStarted(varDir: string, kind: ServiceKind, port: number): Promise<StartedService | undefined> {
  return (await readRecord(varDir)).find((e) => e.kind === kind && e.port === port);
}

/**
 * Runs `fn` holding <var>/services.lock, so two processes never start the same server. A
 * lock left by a process that died is taken over.
 */
export async function withServicesLock<T>(varDir: string, fn: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  await mkdir(varDir, { recursive: true, mode: 0o755 });
  const lock = path.join(varDir, LOCK_FILE);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(await readFile(lock, 'utf8').catch(() => ''));
      // An empty file is a holder between open and write: wait for it. A dead holder's lock is stale.
      if (holder > 0 && holder !== process.pid && !(await processAlive(holder))) {
        await unlink(lock).catch(() => {});
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${lock} is held by process ${holder || '?'} (starting services); giving up after ${timeoutMs / 1000} s.`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(lock).catch(() => {});
  }
}
