// Keeps web/dist in step with web/ for `npm start` and the browser tests: builds the
// dashboard when the build is missing or older than any of its sources. Production builds
// it once with `npm run build` instead (Vite is a devDependency).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WEB = join(ROOT, 'web');
const BUILT = join(WEB, 'dist', 'index.html');
/** What the build reads besides web/src: a change in any of them makes the build stale. */
const INPUTS = [join(WEB, 'index.html'), join(WEB, 'vite.config.ts'), join(ROOT, 'package-lock.json')];

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

/** Builds web/dist with Vite when it is missing or stale; resolves once it is up to date. */
export async function ensureWebBuild(log: (line: string) => void = console.log): Promise<void> {
  const reason = webBuildNeeded();
  if (!reason) return;
  log(`Building the dashboard (${reason})...`);
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', join(WEB, 'vite.config.ts'), '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
  });
}
