// Real worker processes for tests: `node --import tsx worker/index.ts` with the test's
// database and Redis prefix, killed with real signals.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_REDIS_URL } from '../../helpers/db.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export type WorkerProcess = {
  child: ChildProcess;
  pid: number;
  /** Resolves when the worker logged "worker ready" (it is taking tasks). */
  ready: Promise<void>;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote so far (JSON log lines). */
  output(): string;
};

/** Spawns a worker process; `env` overrides the defaults below (values for one test file). */
export function spawnWorker(env: { DATABASE_URL: string; QUEUE_PREFIX: string } & Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/index.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      REDIS_URL: TEST_REDIS_URL,
      LOG_LEVEL: 'info',
      WORKER_CONCURRENCY: '2',
      STALL_INTERVAL_MS: '1000',
      TASK_RETRY_BACKOFF_MS: '200',
      SHUTDOWN_GRACE_SECONDS: '5',
      WORKER_METRICS_PORT: '0', // no metrics server unless a test asks for one (parallel workers would collide)
      ...env,
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
    if (out.includes('"msg":"worker ready"')) onReady();
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

/** Kills a worker process (if still running) and waits for it to exit. */
export async function killWorker(w: WorkerProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill(signal);
  await w.exited;
}
