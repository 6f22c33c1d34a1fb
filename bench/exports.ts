// `npm run bench:exports -- [--database NAME] [--export contracts,CONTRACTOR,...] [--minAmount X]`
//
// CSV exports as tasks on an existing database (default: the one in DATABASE_URL): one
// worker process (WORKER_CONCURRENCY 1) runs each export alone; prints, per export, the
// task's time (startedAt -> finishedAt), rows, rows/s, bytes, MB/s and the worker's peak
// resident memory during the export (VmHWM, reset before each export through
// /proc/<pid>/clear_refs; the worker's idle RSS is printed for comparison). Run it with
// `nice -n 10` on a shared machine. Each run uses a fresh Redis prefix and a temporary
// EXPORT_DIR, removed at the end.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config.js';
import { DIMENSIONS, type Dimension } from '../src/contracts/index.js';
import { createPrisma } from '../src/db/prisma.js';
import type { ExportResult } from '../src/exports/index.js';
import { createTaskQueue, deletePrefixKeys } from '../src/tasks/index.js';
import { freshPrefix, loadAverage } from './support.js';

const { values } = parseArgs({
  options: {
    database: { type: 'string' },
    export: { type: 'string', default: 'contracts,CONTRACTOR' },
    minAmount: { type: 'string' },
  },
});
const config = loadConfig();
const url = new URL(config.databaseUrl);
if (values.database) url.pathname = `/${values.database}`;
const databaseUrl = url.toString();
const exportsToRun = values.export!.split(',').map((e) => (e === 'contracts' ? null : (e as Dimension)));
for (const d of exportsToRun) if (d && !DIMENSIONS.includes(d)) throw new Error(`--export: ${d} is neither contracts nor a dimension`);
// A distinct amount floor (0 by default: every contract has an amount >= 0 or none) makes the
// cache key new even when an earlier run left a result (each run has its own prefix anyway).
const minAmount = values.minAmount === undefined ? undefined : Number(values.minAmount);

const prefix = freshPrefix('kontrata-bench-exports');
const dir = await mkdtemp(path.join(os.tmpdir(), 'kontrata-bench-exports-'));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Reads a field of /proc/<pid>/status in kB. */
async function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
}

const worker = spawn(process.execPath, ['--import', 'tsx', 'worker/index.ts'], {
  cwd: ROOT,
  env: {
    ...process.env,
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: prefix,
    EXPORT_DIR: dir,
    WORKER_CONCURRENCY: '1',
    WORKER_METRICS_PORT: '0',
    TASK_TIMEOUT_SECONDS: '7200',
    TASK_MAX_RETRIES: '0',
    RESULT_TTL_SECONDS: '3600',
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve, reject) => {
  let out = '';
  worker.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    if (out.includes('worker process started')) resolve();
  });
  worker.once('exit', (code) => reject(new Error(`worker exited ${code}:\n${out}`)));
});
worker.stdout!.resume();
const pid = worker.pid!;

const db = createPrisma(databaseUrl, { max: 2 });
const queue = createTaskQueue({ redisUrl: config.redisUrl, prefix, resultTtlSeconds: 3600, maxRetries: 0, db });
const [counted] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM contracts`;
const contracts = counted?.n ?? 0n;
console.log(`database ${url.pathname.slice(1)}: ${Number(contracts).toLocaleString('en-US')} contracts; load average ${loadAverage()}`);
console.log(`worker idle RSS ${(await statusKb(pid, 'VmRSS')) / 1024 | 0} MB`);

try {
  for (const dimension of exportsToRun) {
    await writeFile(`/proc/${pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
    const filters = minAmount === undefined ? {} : { minAmount };
    const ticket = await queue.submit('EXPORT', { filters, dimension });
    let task = await queue.getTask(ticket.taskId);
    while (task && task.state !== 'SUCCESS' && task.state !== 'FAILURE') {
      await new Promise((r) => setTimeout(r, 250));
      task = await queue.getTask(ticket.taskId);
    }
    const peakMb = ((await statusKb(pid, 'VmHWM')) / 1024) | 0;
    if (task?.state !== 'SUCCESS') throw new Error(`export failed: ${task?.error}`);
    const lookup = await queue.getResult(ticket.cacheKey);
    const data = lookup.result!.data as ExportResult;
    const seconds = (Date.parse(task.finishedAt!) - Date.parse(task.startedAt!)) / 1000;
    console.log(
      `${dimension ?? 'contracts'}: ${data.rows.toLocaleString('en-US')} rows, ${(data.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s ` +
        `(${Math.round(data.rows / seconds).toLocaleString('en-US')} rows/s, ${(data.bytes / 1e6 / seconds).toFixed(1)} MB/s); worker peak RSS ${peakMb} MB`,
    );
  }
  console.log(`load average after: ${loadAverage()}`);
} finally {
  worker.kill('SIGTERM');
  await queue.close();
  const redis = new Redis(config.redisUrl);
  await deletePrefixKeys(redis, prefix);
  redis.disconnect();
  await db.$disconnect();
  await rm(dir, { recursive: true, force: true });
}
