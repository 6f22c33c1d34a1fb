// Export files in EXPORT_DIR. A file is written under a temporary ".partial-..." name and
// renamed to "<id>.csv" only once complete and fsynced, so a reader never sees half a file:
// a crash, timeout or retry leaves at most a partial, which the sweeper removes. Next to the
// CSV, "<id>.json" records what the download route needs (its download name and when it
// expires); the route serves nothing without it. Ids are 128 random bits (base64url), so a
// URL cannot be guessed, and their alphabet cannot spell a path.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** An export id: 16 random bytes in base64url (22 characters of A-Z a-z 0-9 _ -). */
export const EXPORT_ID = /^[A-Za-z0-9_-]{22}$/;

/** What "<id>.json" records about a finished export. */
export type ExportMeta = {
  id: string;
  /** The name the browser saves it under: kontrata-<contracts|dimension>-<YYYY-MM-DD>.csv. */
  filename: string;
  rows: number;
  bytes: number;
  createdAt: string;
  expiresAt: string;
};

/** A new unguessable export id. */
export function newExportId(): string {
  return randomBytes(16).toString('base64url');
}

/** The download path of an export on every API process. */
export function exportUrl(id: string): string {
  return `/exports/${id}.csv`;
}

export const csvPathOf = (dir: string, id: string) => path.join(dir, `${id}.csv`);
export const metaPathOf = (dir: string, id: string) => path.join(dir, `${id}.json`);

// Partials carry the writer's host and pid, so a sweeper on the same host knows at once when
// their writer is dead (a SIGKILLed worker); other hosts' partials are judged by age.
const HOST = os.hostname().replace(/[^A-Za-z0-9.]/g, '_') || 'host';
const PARTIAL = /^\.partial-(.+)-(\d+)-[A-Za-z0-9_-]+\.(csv|json)$/;

function partialName(ext: 'csv' | 'json'): string {
  return `.partial-${HOST}-${process.pid}-${randomBytes(6).toString('base64url')}.${ext}`;
}

/** fsyncs a directory, so that a rename in it survives a crash of the machine. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the rename itself is still atomic.
  } finally {
    await handle.close();
  }
}

/** Writes `text` to `target` atomically (partial, fsync, rename). */
async function writeAtomically(dir: string, target: string, text: string): Promise<void> {
  const partial = path.join(dir, partialName('json'));
  const handle = await open(partial, 'wx', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(partial, target);
}

export type PartialExport = {
  /** Appends text (UTF-8); resolves once the bytes are handed to the OS: this is the backpressure. */
  write(text: string): Promise<void>;
  /** Bytes written so far. */
  bytes(): number;
  /** fsyncs, renames to "<id>.csv", then records its metadata; returns it. */
  publish(info: { filename: string; rows: number; ttlSeconds: number; now?: Date }): Promise<ExportMeta>;
  /** Closes and removes the partial (after a failure or a cancel). Never throws. */
  discard(): Promise<void>;
};

/** Creates a new partial export file in `dir` (created if missing). */
export async function createPartialExport(dir: string): Promise<PartialExport> {
  await mkdir(dir, { recursive: true });
  const partial = path.join(dir, partialName('csv'));
  const handle: FileHandle = await open(partial, 'wx', 0o644);
  let written = 0;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    async write(text) {
      const buffer = Buffer.from(text, 'utf8');
      let offset = 0;
      while (offset < buffer.length) {
        const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
        offset += bytesWritten;
      }
      written += buffer.length;
    },
    bytes: () => written,
    async publish({ filename, rows, ttlSeconds, now = new Date() }) {
      await handle.sync();
      await close();
      const id = newExportId();
      await rename(partial, csvPathOf(dir, id));
      const meta: ExportMeta = {
        id,
        filename,
        rows,
        bytes: written,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
      };
      await writeAtomically(dir, metaPathOf(dir, id), JSON.stringify(meta));
      await syncDir(dir);
      return meta;
    },
    async discard() {
      await close().catch(() => {});
      await rm(partial, { force: true }).catch(() => {});
    },
  };
}

/** Reads and checks "<id>.json"; null when missing, unreadable or not this id's. */
export async function readMeta(dir: string, id: string): Promise<ExportMeta | null> {
  try {
    const meta = JSON.parse(await readFile(metaPathOf(dir, id), 'utf8')) as ExportMeta;
    if (meta?.id !== id || typeof meta.filename !== 'string' || !Number.isFinite(Date.parse(meta.expiresAt))) return null;
    return meta;
  } catch {
    return null;
  }
}

/** True when `pid` is a live process on this host (EPERM: alive, someone else's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type SweepOptions = {
  /** RESULT_TTL_SECONDS: a CSV without metadata older than this is an orphan. */
  ttlSeconds: number;
  /** A partial untouched for longer than this (ms) is dead even if its writer cannot be checked (another host). */
  partialStaleMs: number;
  now?: Date;
};

/**
 * Removes what must not stay in `dir`: expired exports (CSV and metadata), metadata without
 * its CSV, CSVs without metadata older than the TTL, and partials whose writer is dead
 * (same host, pid gone) or that nobody has written to for `partialStaleMs`. Returns how many
 * files it removed. Files it does not recognise are left alone.
 */
export async function sweepExports(dir: string, opts: SweepOptions): Promise<number> {
  const now = (opts.now ?? new Date()).getTime();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  const present = new Set(names);
  const doomed: string[] = [];
  const ageMs = async (name: string) => {
    try {
      return now - (await stat(path.join(dir, name))).mtimeMs;
    } catch {
      return -Infinity; // gone meanwhile
    }
  };
  for (const name of names) {
    const partial = PARTIAL.exec(name);
    if (partial) {
      const [, host, pid] = partial;
      const deadWriter = host === HOST && Number(pid) !== process.pid && !alive(Number(pid));
      if (deadWriter || (await ageMs(name)) > opts.partialStaleMs) doomed.push(name);
      continue;
    }
    const match = /^([A-Za-z0-9_-]{22})\.(csv|json)$/.exec(name);
    if (!match) continue;
    const [, id, ext] = match as unknown as [string, string, 'csv' | 'json'];
    if (ext === 'json') {
      const meta = await readMeta(dir, id);
      const expired = meta ? Date.parse(meta.expiresAt) <= now : (await ageMs(name)) > opts.ttlSeconds * 1000;
      if (expired || !present.has(`${id}.csv`)) {
        doomed.push(name);
        if (present.has(`${id}.csv`)) doomed.push(`${id}.csv`);
      }
    } else if (!present.has(`${id}.json`) && (await ageMs(name)) > opts.ttlSeconds * 1000) {
      doomed.push(name);
    }
  }
  const unique = [...new Set(doomed)];
  await Promise.all(unique.map((name) => rm(path.join(dir, name), { force: true })));
  return unique.length;
}
