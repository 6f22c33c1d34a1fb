// Real worker processes for tests, the one way tests start them: `node --import tsx
// worker/index.ts` (what `npm run worker` runs) with a test's database and Redis prefix,
// stopped or killed with real signals.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_REDIS_URL } from './db.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** After this long a worker that ignores SIGTERM is killed. */
const KILL_AFTER_MS = 15_000;

export type WorkerProcess = {
  child: ChildProcess;
  pid: number;
  /** Resolves when the worker process logged that it started (it is taking tasks); rejects if it exits first. */
  ready: Promise<void>;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote so far (JSON log lines). */
  output(): string;
};

/**
 * Spawns a worker process with `env` (the deployment's variables; nothing is inherited but
 * PATH and HOME, so a test's process environment cannot leak in). It logs at info level,
 * which is how `ready` knows that it started.
 */
export function spawnWorker(env: { DATABASE_URL: string; QUEUE_PREFIX: string } & Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/index.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      REDIS_URL: TEST_REDIS_URL,
      ...env,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let onReady: () => void;
  let onFail: (err: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onFail = reject;
  });
  const scan = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('"msg":"worker process started"')) onReady();
  };
  child.stdout?.on('data', scan);
  child.stderr?.on('data', scan);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      onFail(new Error(`worker exited (code ${code}, signal ${signal}) before it was ready:\n${out}`));
      resolve({ code, signal });
    });
  });
  ready.catch(() => {});
  return { child, pid: child.pid ?? -1, ready, exited, output: () => out };
}

/** Sends `signal` to a worker process if it still runs (SIGTERM: a graceful stop, SIGKILL after 15 s) and waits for it to exit. */
export async function killWorker(w: WorkerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill(signal);
  const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => w.child.kill('SIGKILL'), KILL_AFTER_MS);
  await w.exited;
  clearTimeout(timer);
}
