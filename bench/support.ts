// Plumbing shared by the benchmarks: integer command-line options, latency statistics, the
// machine's load (printed with the figures, since a shared machine moves them), the size of
// the generated dataset, and the engine called directly for a task's question.
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Client } from 'graphql-ws';
import { analyticsTable, contractAnalytics, searchContracts } from '../src/contracts/index.js';
import type { Db } from '../src/db/prisma.js';
import type { TaskKind, TaskPayloads } from '../src/tasks/index.js';

/** `v` as an integer >= `min`; throws an Error naming the option (`--name`) otherwise. */
export function intArg(name: string, v: string | undefined, min: number): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min} (got ${v})`);
  return n;
}

type IntOption = { default: number; min: number };

/**
 * Reads the command line: `--name N` for each integer option (validated by `intArg`, in the
 * order given), `--flag` for each boolean flag (false unless given) and `--name TEXT` for each
 * string option (undefined unless given). Unknown options throw.
 */
export function readArgs<I extends string, F extends string = never, S extends string = never>(
  ints: Record<I, IntOption>,
  flags: readonly F[] = [],
  strings: readonly S[] = [],
): Record<I, number> & Record<F, boolean> & Record<S, string | undefined> {
  const options: Record<string, { type: 'string'; default?: string } | { type: 'boolean'; default: boolean }> = {};
  for (const [name, o] of Object.entries<IntOption>(ints)) options[name] = { type: 'string', default: String(o.default) };
  for (const flag of flags) options[flag] = { type: 'boolean', default: false };
  for (const name of strings) options[name] = { type: 'string' };
  const { values } = parseArgs({ options });
  const args: Record<string, number | boolean | string | undefined> = {};
  for (const [name, o] of Object.entries<IntOption>(ints)) args[name] = intArg(name, values[name] as string, o.min);
  for (const flag of flags) args[flag] = values[flag] as boolean;
  for (const name of strings) args[name] = values[name] as string | undefined;
  return args as Record<I, number> & Record<F, boolean> & Record<S, string | undefined>;
}

/** The `p`th percentile (0-100) of ascending `sorted`, by nearest rank; NaN when it is empty. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** p50, p95 and mean of `xs` (in any order). */
export function stats(xs: number[]): { p50: number; p95: number; mean: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), mean: xs.reduce((a, b) => a + b, 0) / xs.length };
}

/** The 1, 5 and 15 minute load averages, `digits` decimals each ("0.52 0.61 0.70"). */
export const loadAverage = (digits = 2): string => loadavg().map((l) => l.toFixed(digits)).join(' ');

/** The machine's load, printed with the numbers: on a busy machine latencies are not comparable. */
export const loadNote = (): string => `load average ${loadAverage()} on ${cpus().length} CPUs`;

/** `databaseUrl` with its database replaced by `name`: a benchmark's own database next to the application's. */
export function databaseNamed(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A Redis key prefix of its own for one run, so nothing is served from an earlier run's cache. */
export const freshPrefix = (base = 'kontrata-bench'): string => `${base}:${randomBytes(4).toString('hex')}`;

/** How many generated (synthetic) contracts the database holds. */
export async function generatedContracts(db: Db): Promise<number> {
  const [row] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM contracts WHERE source = 'GENERATED'`;
  return Number(row?.n ?? 0);
}

/** One question for the task system: a kind and its input. */
export type Question = { [K in TaskKind]: { kind: K; input: TaskPayloads[K] } }[TaskKind];

/** The engine's answer to `q`, called directly in this process (no queue, no worker). */
export function runDirect(db: Db, q: Question): Promise<unknown> {
  if (q.kind === 'SEARCH') return searchContracts(db, q.input);
  if (q.kind === 'ANALYTICS') return contractAnalytics(db, q.input);
  if (q.kind === 'ANALYTICS_TABLE') return analyticsTable(db, q.input);
  throw new Error(`no direct call for ${q.kind}`); // exports are measured by bench/exports.ts
}

/**
 * Resolves when task `taskId` reaches SUCCESS, heard over graphql-ws's taskProgress as the
 * dashboard hears it; rejects on FAILURE, on an error, or when the stream ends before SUCCESS.
 */
export function untilTaskSucceeds(client: Client, taskId: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stop = client.subscribe<{ taskProgress: { state: string; error: string | null } }>(
      { query: 'subscription($taskId: ID!) { taskProgress(taskId: $taskId) { state error } }', variables: { taskId } },
      {
        next: ({ data }) => {
          const state = data?.taskProgress.state;
          if (state === 'SUCCESS') resolve();
          else if (state === 'FAILURE') reject(new Error(`task failed: ${data?.taskProgress.error}`));
          else return;
          stop();
        },
        error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
        complete: () => reject(new Error(`taskProgress of ${taskId} completed before SUCCESS`)),
      },
    );
  });
}
