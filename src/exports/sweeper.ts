// Removes expired exports: once at start-up (files that expired while no process ran), then
// periodically. Every API and worker process runs one; they may race on the same file, which
// is harmless (removal ignores files already gone).
import type { Logger } from '../logger.js';
import { sweepExports } from './files.js';

export type ExportSweeper = { stop(): void; /** Runs one sweep now (tests, start-up). */ sweep(): Promise<number> };

/**
 * Sweeps `dir` now and then every `intervalMs` (default: a quarter of the TTL, between 1 s
 * and 60 s, so a file outlives its expiry by at most that). Partials untouched for longer
 * than `partialStaleMs` (default: TTL) count as dead even when their writer cannot be checked.
 */
export function startExportSweeper(opts: {
  dir: string;
  ttlSeconds: number;
  partialStaleMs?: number;
  intervalMs?: number;
  logger?: Logger;
}): ExportSweeper {
  const intervalMs = opts.intervalMs ?? Math.min(60_000, Math.max(1000, (opts.ttlSeconds * 1000) / 4));
  let running: Promise<number> | null = null;
  const sweep = () => {
    running ??= sweepExports(opts.dir, { ttlSeconds: opts.ttlSeconds, partialStaleMs: opts.partialStaleMs ?? opts.ttlSeconds * 1000 })
      .then((removed) => {
        if (removed) opts.logger?.info({ removed, dir: opts.dir }, 'removed expired export files');
        return removed;
      })
      .catch((err: unknown) => {
        opts.logger?.warn({ err, dir: opts.dir }, 'could not sweep export files');
        return 0;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  void sweep();
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), sweep };
}
