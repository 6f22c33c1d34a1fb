// Keeps web/dist in step with web/ for `npm start` and the browser tests: builds the
// dashboard when the build is missing or older than any of its sources. Production builds
// it once with `npm run build` instead (Vite is a devDependency).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WEB = join(ROOT, 'web');
const BUILT = join(WEB, 'dist', 'index.html');
/** What the build reads besides web/src: a change in any of them makes the build stale. */
const INPUTS = [join(WEB, 'index.html'), join(WEB, 'vite.config.ts'), join(ROOT, 'package-lock.json')];
/** Held while one process builds (test files run in parallel); a lock older than this is a crashed build's. */
const LOCK = join(WEB, '.build-lock');
const LOCK_STALE_MS = 5 * 60_000;

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why web/dist must be (re)built, or null when it is up to date. */
export function webBuildNeeded(): string | null {
  if (!existsSync(BUILT)) return 'the dashboard has not been built';
  const built = statSync(BUILT).mtimeMs;
  const sources = Math.max(newestMtime(join(WEB, 'src')), ...INPUTS.filter(existsSync).map(newestMtime));
  return sources > built ? 'the dashboard sources changed since the last build' : null;
}

/** Runs `fn` while holding the build lock (a directory: mkdir is atomic). */
async function withBuildLock(fn: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      else await sleep(250);
    }
  }
  try {
    await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Builds web/dist with Vite when it is missing or stale; resolves once it is up to date. */
export async function ensureWebBuild(log: (line: string) => void = console.log): Promise<void> {
  if (!webBuildNeeded()) return;
  await withBuildLock(async () => {
    const reason = webBuildNeeded(); // another process may have built it while we waited
    if (!reason) return;
    log(`Building the dashboard (${reason})...`);
    const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [vite, 'build', '--config', join(WEB, 'vite.config.ts'), '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
    });
  });
}
